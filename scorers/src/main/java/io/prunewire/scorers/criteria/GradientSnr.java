package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Signal-to-noise ratio of the per-sample gradient {@code |E[g]| / std(g)}, dimensionless. The
 * standard deviation is floored at {@code 1e-12·E[|g|]}, so a constant non-zero gradient scores
 * {@code 1e12} instead of infinity; an always-zero gradient scores 0.
 */
final class GradientSnr extends AbstractCriterion {
  public GradientSnr() {
    super(
        "gradient_snr",
        Family.GRADIENT,
        "|E[g]| / max(std(g), 1e-12 * E[|g|]); 0 if E[|g|] = 0 [dimensionless]",
        Source.GRADIENTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var g = gradient(evidence);
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double meanAbs = g.magnitude().mean(i);
      out[i] =
          meanAbs == 0
              ? 0
              : Math.abs(g.gradient().mean(i)) / Math.max(g.gradient().std(i), 1e-12 * meanAbs);
    }
    return out;
  }
}
