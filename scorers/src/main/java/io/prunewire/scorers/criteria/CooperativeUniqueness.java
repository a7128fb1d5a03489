package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Uniqueness: {@code 1 − max_{a≠i} |r(i, a)|} over the layer's anchor neurons other than itself, in
 * [0, 1]; 0 when some anchor duplicates the neuron's output (up to sign and scale), 1 when the
 * neuron correlates with none (or has no partner).
 */
final class CooperativeUniqueness extends AbstractCriterion {
  public CooperativeUniqueness() {
    super(
        "cooperative_uniqueness",
        Family.COOPERATIVE,
        "1 - max_{anchors a != i} |corr(a_i, a_a)| [in [0, 1]]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var co = activation(evidence).coActivation();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double max = 0;
      for (int a = 0; a < co.anchorCount(); a++) {
        if (co.anchor(a) != i) {
          max = Math.max(max, Math.abs(co.correlation(i, a)));
        }
      }
      out[i] = 1 - max;
    }
    return out;
  }
}
