package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Degree centrality in the layer's correlation graph: the fraction of anchor neurons other than
 * itself with {@code |r(i, a)| > τ}, in [0, 1] ({@code τ} defaults to 0.5). An estimate of the
 * neuron's degree among all {@code N − 1} partners from {@code k} sampled ones.
 */
final class CooperativeDegree extends AbstractCriterion {
  /** The default correlation threshold {@code τ}. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private final double threshold;

  public CooperativeDegree() {
    this(DEFAULT_THRESHOLD);
  }

  /**
   * @param threshold {@code τ ∈ [0, 1)}
   */
  public CooperativeDegree(double threshold) {
    super(
        "cooperative_degree",
        Family.COOPERATIVE,
        "#{anchors a != i : |corr(a_i, a_a)| > " + threshold + "} / #{anchors a != i} [fraction]",
        Source.ACTIVATIONS);
    if (!(threshold >= 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "cooperative_degree: threshold must be in [0, 1), got " + threshold);
    }
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var co = activation(evidence).coActivation();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      int above = 0;
      int partners = 0;
      for (int a = 0; a < co.anchorCount(); a++) {
        if (co.anchor(a) != i) {
          partners++;
          if (Math.abs(co.correlation(i, a)) > threshold) {
            above++;
          }
        }
      }
      out[i] = partners == 0 ? 0 : (double) above / partners;
    }
    return out;
  }
}
