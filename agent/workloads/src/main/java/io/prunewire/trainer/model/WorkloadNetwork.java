package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.listener.PrunedNetwork;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A reference workload as a pruned network: its own prunable table, its gates as observers and
 * forward masks, and its deterministic probe loss (dropout off, zero recurrent state). Pass it to
 * {@link io.prunewire.trainer.listener.PruningListener#builder(PrunedNetwork)}.
 */
public record WorkloadNetwork(Workload workload) implements PrunedNetwork {

  public WorkloadNetwork {
    Objects.requireNonNull(workload, "workload");
  }

  @Override
  public TrainedNetwork network() {
    return TrainedNetwork.of(workload.network());
  }

  @Override
  public List<PrunableLayer> layers() {
    return workload.prunableLayers();
  }

  @Override
  public ProbeEvaluator evaluator(List<DataSet> heldOut) {
    return new WorkloadEvaluator(workload, heldOut);
  }

  @Override
  public boolean observeGates(GateObserver observer) {
    workload.setGateObserver(observer);
    return true;
  }

  @Override
  public void maskForward(NeuronMasks applied) {
    for (PrunableLayer l : layers()) {
      if (applied.layers().contains(l.name())) {
        // groups share a gate when their layer outputs a concatenation: write only our columns
        boolean[] keep = workload.gate(l.gateLayer()).mask();
        System.arraycopy(applied.keep(l.name()), 0, keep, l.gateOffset(), l.neurons());
        workload.gate(l.gateLayer()).setMask(keep);
      }
    }
  }
}
