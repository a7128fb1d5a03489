package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/** Population variance of the output {@code Var[a] = M2/n}, in squared activation units. */
final class ActivationVariance extends AbstractCriterion {
  public ActivationVariance() {
    super(
        "activation_variance",
        Family.ACTIVATION,
        "Var[a] = M2 / n [activation units^2]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var value = activation(evidence).value();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value.variance(i);
    }
    return out;
  }
}
