package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * First-order Taylor estimate of the loss change from removing the neuron {@code |E[z]|}, {@code z
 * = Σ_{batch,time} a·∂L/∂a} (Molchanov et al., "Pruning convolutional neural networks for resource
 * efficient inference", ICLR 2017), in loss units.
 */
final class Taylor extends AbstractCriterion {
  public Taylor() {
    super(
        "taylor",
        Family.PEER,
        "|E[z]|, z = sum_{batch,time} a * dL/da per sampled batch [loss units]",
        Source.GATES);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var gate = gradient(evidence).gate();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.abs(gate.mean(i));
    }
    return out;
  }
}
