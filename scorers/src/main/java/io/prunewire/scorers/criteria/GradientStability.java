package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Stability of the per-sample gradient {@code 1 / (1 + CV)} with the coefficient of variation
 * {@code CV = std(g) / E[|g|]} (the mean magnitude in the denominator keeps it finite when {@code
 * E[g]} is near 0); in (0, 1], 1 for a constant gradient, 0 for a neuron whose gradient is always 0
 * (it receives no learning signal).
 */
final class GradientStability extends AbstractCriterion {
  public GradientStability() {
    super(
        "gradient_stability",
        Family.GRADIENT,
        "1 / (1 + std(g) / E[|g|]); 0 if E[|g|] = 0 [in (0, 1]]",
        Source.GRADIENTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var g = gradient(evidence);
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double meanAbs = g.magnitude().mean(i);
      out[i] = meanAbs == 0 ? 0 : 1 / (1 + g.gradient().std(i) / meanAbs);
    }
    return out;
  }
}
