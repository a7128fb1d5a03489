package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Cooperative strength: mean absolute Pearson correlation of the neuron's output with the layer's
 * anchor neurons other than itself, {@code mean_{a≠i} |r(i, a)|}, in [0, 1]. The correlations are
 * exact over all merged samples; only the partners are a seeded sample of {@code k} anchors, so the
 * cost is {@code O(N·k)}. A neuron with no partner (it is the only anchor) scores 0.
 */
final class CooperativeStrength extends AbstractCriterion {
  public CooperativeStrength() {
    super(
        "cooperative_strength",
        Family.COOPERATIVE,
        "mean_{anchors a != i} |corr(a_i, a_a)| [in [0, 1]]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var co = activation(evidence).coActivation();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      int partners = 0;
      for (int a = 0; a < co.anchorCount(); a++) {
        if (co.anchor(a) != i) {
          sum += Math.abs(co.correlation(i, a));
          partners++;
        }
      }
      out[i] = partners == 0 ? 0 : sum / partners;
    }
    return out;
  }
}
