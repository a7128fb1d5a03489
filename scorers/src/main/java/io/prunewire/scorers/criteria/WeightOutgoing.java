package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Outgoing connection strength: mean absolute weight of the neuron's rows in every consumer's input
 * weights, in weight units.
 */
final class WeightOutgoing extends AbstractCriterion {
  public WeightOutgoing() {
    super(
        "weight_outgoing",
        Family.WEIGHT,
        "mean_c(|w_out_c|) over the neuron's rows in every consumer [weight units]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).outgoing().clone();
  }
}
