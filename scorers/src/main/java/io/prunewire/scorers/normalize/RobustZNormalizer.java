package io.prunewire.scorers.normalize;

/**
 * Robust z-score squashed into {@code (0, 1)}: {@code z_i = (x_i − median) / (1.4826·MAD)} with
 * {@code MAD = median|x − median|} (1.4826 makes it a consistent estimate of the standard deviation
 * for normal data), then {@code 1 / (1 + e^{−z})}, so the median maps to 0.5 and outliers saturate
 * instead of dominating a fusion. When more than half the scores are equal the MAD is 0; the scale
 * then falls back to {@code 1.2533·mean|x − median|} (the modified z-score of Iglewicz &amp;
 * Hoaglin, "How to Detect and Handle Outliers", ASQC 1993, as used by IBM SPSS), and to the
 * constant 0.5 when that is 0 too.
 */
final class RobustZNormalizer implements Normalizer {
  /** {@code 1/Φ⁻¹(3/4)}: MAD × this estimates σ of a normal distribution. */
  static final double MAD_TO_SIGMA = 1.4826;

  /** {@code sqrt(π/2)}: mean absolute deviation × this estimates σ of a normal distribution. */
  static final double MEAN_AD_TO_SIGMA = 1.253314;

  @Override
  public String name() {
    return "robust_z";
  }

  @Override
  public String formula() {
    return "logistic((x - median) / (1.4826 * MAD)); MAD = 0 -> 1.2533 * mean|x - median|";
  }

  @Override
  public double[] normalize(String layer, double[] scores) {
    Scores.check("robust_z", layer, scores);
    int n = scores.length;
    double median = Scores.median(scores);
    double[] deviations = new double[n];
    double meanDeviation = 0;
    for (int i = 0; i < n; i++) {
      deviations[i] = Math.abs(scores[i] - median);
      meanDeviation += deviations[i] / n;
    }
    double scale = MAD_TO_SIGMA * Scores.median(deviations);
    if (scale == 0) {
      scale = MEAN_AD_TO_SIGMA * meanDeviation;
    }
    if (scale == 0) {
      return Scores.constant(n);
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = 1 / (1 + Math.exp(-(scores[i] - median) / scale));
    }
    return out;
  }
}
