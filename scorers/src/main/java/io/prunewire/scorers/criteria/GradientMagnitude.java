package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Mean absolute gradient {@code E[|g|]}, {@code g = ∂L/∂a} per sample, in loss per activation unit.
 */
final class GradientMagnitude extends AbstractCriterion {
  public GradientMagnitude() {
    super(
        "gradient_magnitude",
        Family.GRADIENT,
        "E[|g|], g = dL/da per sample [loss / activation units]",
        Source.GRADIENTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var magnitude = gradient(evidence).magnitude();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = magnitude.mean(i);
    }
    return out;
  }
}
