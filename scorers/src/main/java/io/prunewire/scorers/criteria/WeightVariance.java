package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Population variance of the incoming weights {@code mean_j((w_j − mean(w))²)}, in squared weight
 * units.
 */
final class WeightVariance extends AbstractCriterion {
  public WeightVariance() {
    super(
        "weight_variance",
        Family.WEIGHT,
        "mean_j((w_in_j - mean(w_in))^2) [weight units^2]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).variance().clone();
  }
}
