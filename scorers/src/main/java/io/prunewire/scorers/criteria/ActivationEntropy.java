package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Entropy of the output's histogram {@code −Σ_b p_b·ln p_b}, {@code p_b = count_b / n} over the
 * summary's fixed bins, in nats; 0 for a neuron whose output never leaves one bin, at most {@code
 * ln(bins)}.
 */
final class ActivationEntropy extends AbstractCriterion {
  public ActivationEntropy() {
    super(
        "activation_entropy",
        Family.ACTIVATION,
        "-sum_b p_b ln p_b over the fixed histogram bins of a [nats]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var histogram = activation(evidence).histogram();
    double total = histogram.total();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      double h = 0;
      for (int b = 0; b < histogram.bins(); b++) {
        long count = histogram.count(i, b);
        if (count > 0) {
          double p = count / total;
          h -= p * Math.log(p);
        }
      }
      out[i] = h;
    }
    return out;
  }
}
