package io.prunewire.trainer.listener;

import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.model.GateObserver;
import io.prunewire.trainer.model.PrunableLayer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A reference workload as a pruned network: its own prunable table, its gates as observers and
 * forward masks, and its deterministic probe loss (dropout off, zero recurrent state).
 */
record WorkloadNetwork(Workload workload) implements PrunedNetwork {

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
    return heldOut.size() == 1
        ? ProbeEvaluator.of(workload, heldOut.get(0))
        : ProbeEvaluator.of(workload, heldOut);
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
