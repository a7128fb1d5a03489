package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Mean squared incoming weight {@code mean_j(w_j²)} over the neuron's {@code fanIn} incoming
 * weights, in squared weight units.
 */
final class WeightL2 extends AbstractCriterion {
  public WeightL2() {
    super("weight_l2", Family.WEIGHT, "mean_j(w_in_j^2) [weight units^2]", Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    return weights(evidence).l2().clone();
  }
}
