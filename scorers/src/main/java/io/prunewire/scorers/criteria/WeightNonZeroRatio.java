package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Fraction of incoming weights with {@code |w| > 1e-12} (pruned weights are held at zero), in [0,
 * 1].
 */
final class WeightNonZeroRatio extends AbstractCriterion {
  public WeightNonZeroRatio() {
    super(
        "weight_nonzero_ratio",
        Family.WEIGHT,
        "#{j : |w_in_j| > 1e-12} / fanIn [fraction]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).nonZeroRatio().clone();
  }
}
