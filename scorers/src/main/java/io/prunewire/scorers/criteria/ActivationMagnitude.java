package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/** Mean absolute output {@code E[|a|]}, in activation units. */
final class ActivationMagnitude extends AbstractCriterion {
  public ActivationMagnitude() {
    super(
        "activation_magnitude", Family.ACTIVATION, "E[|a|] [activation units]", Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var magnitude = activation(evidence).magnitude();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = magnitude.mean(i);
    }
    return out;
  }
}
