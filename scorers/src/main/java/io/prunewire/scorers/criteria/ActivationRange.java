package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/** Range of the output over all samples {@code max(a) − min(a)}, in activation units. */
final class ActivationRange extends AbstractCriterion {
  public ActivationRange() {
    super(
        "activation_range",
        Family.ACTIVATION,
        "max(a) - min(a) [activation units]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var value = activation(evidence).value();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value.max(i) - value.min(i);
    }
    return out;
  }
}
