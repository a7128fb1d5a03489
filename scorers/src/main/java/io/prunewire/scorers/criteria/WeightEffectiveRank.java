package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Drop of the layer's incoming-matrix effective rank when the neuron's column is removed, {@code
 * erank(W) − erank(W∖i)} with {@code erank = exp(−Σ p_k ln p_k)}, {@code p_k = σ_k/Σσ} (Roy &amp;
 * Vetterli 2007); dimensionless, may be negative for a neuron whose removal evens out the spectrum.
 */
final class WeightEffectiveRank extends AbstractCriterion {
  public WeightEffectiveRank() {
    super(
        "weight_effective_rank",
        Family.WEIGHT,
        "erank(W_in) - erank(W_in without column i), erank = exp(spectral entropy of singular values)"
            + " [dimensionless]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).effectiveRankDrop().clone();
  }
}
