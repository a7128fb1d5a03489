package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Entropy of the distribution of incoming weight magnitudes {@code −Σ_j p_j·ln p_j} with {@code p_j
 * = |w_j| / Σ|w|}, in nats; 0 for an all-zero column, {@code ln(fanIn)} for equal magnitudes.
 */
final class WeightEntropy extends AbstractCriterion {
  public WeightEntropy() {
    super(
        "weight_entropy",
        Family.WEIGHT,
        "-sum_j p_j ln p_j, p_j = |w_in_j| / sum|w_in| [nats]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).entropy().clone();
  }
}
