package io.prunewire.trainer.listener;

import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.ProbeBatch;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A user's network or graph without gate layers: the listener takes activations and gradients
 * itself ({@link TrainedNetwork#pass}), and a pruned neuron is stopped by its zeroed parameters
 * alone (its consumers' rows are zero, so nothing reads its output).
 */
record UserNetwork(TrainedNetwork network, List<PrunableLayer> layers) implements PrunedNetwork {

  /** Fixed seed for dropout masks in probe gradients, so that repeated probes agree. */
  private static final long DROPOUT_SEED = 12345;

  UserNetwork {
    layers = List.copyOf(layers);
  }

  @Override
  public ProbeEvaluator evaluator(List<DataSet> heldOut) {
    List<ProbeEvaluator> each = new ArrayList<>();
    for (DataSet d : heldOut) {
      each.add(
          ProbeEvaluator.of(
              network,
              new ProbeBatch(
                  d.getFeatures(), d.getLabels(), d.getFeaturesMaskArray(), d.getLabelsMaskArray()),
              DROPOUT_SEED));
    }
    return ProbeEvaluator.mean(each);
  }

  @Override
  public boolean observeGates(GateObserver observer) {
    return false;
  }

  @Override
  public void maskForward(NeuronMasks applied) {}
}
