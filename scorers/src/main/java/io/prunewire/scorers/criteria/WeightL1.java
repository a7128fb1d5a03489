package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/** Mean absolute incoming weight {@code mean_j(|w_j|)}, in weight units. */
final class WeightL1 extends AbstractCriterion {
  public WeightL1() {
    super("weight_l1", Family.WEIGHT, "mean_j(|w_in_j|) [weight units]", Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).l1().clone();
  }
}
