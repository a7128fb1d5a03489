package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Cooperation: how much the neuron works together with active partners, the mean positive
 * correlation with the anchor neurons other than itself, weighted by each partner's activity {@code
 * E[|a_a|]}: {@code Σ_{a≠i} max(r(i, a), 0)·E|a_a| / Σ_{a≠i} E|a_a|}, in [0, 1]. Negative
 * correlations (competition) and silent partners do not count; 0 if every partner is silent.
 */
final class CooperativeCooperation extends AbstractCriterion {
  public CooperativeCooperation() {
    super(
        "cooperative_cooperation",
        Family.COOPERATIVE,
        "sum_{a != i} max(corr(a_i, a_a), 0) * E|a_a| / sum_{a != i} E|a_a| [in [0, 1]]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var summary = activation(evidence);
    var co = summary.coActivation();
    var magnitude = summary.magnitude();
    double[] activity = new double[co.anchorCount()];
    for (int a = 0; a < activity.length; a++) {
      activity[a] = magnitude.mean(co.anchor(a));
    }
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double weighted = 0;
      double weights = 0;
      for (int a = 0; a < activity.length; a++) {
        if (co.anchor(a) != i) {
          weighted += Math.max(co.correlation(i, a), 0) * activity[a];
          weights += activity[a];
        }
      }
      out[i] = weights == 0 ? 0 : weighted / weights;
    }
    return out;
  }
}
