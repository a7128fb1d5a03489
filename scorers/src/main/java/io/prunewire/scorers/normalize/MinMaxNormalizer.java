package io.prunewire.scorers.normalize;

/**
 * Min-max normalisation {@code (x − min) / (max − min)} into {@code [0, 1]}; keeps relative gaps,
 * so one outlier compresses everyone else. Constant scores map to 0.5.
 */
final class MinMaxNormalizer implements Normalizer {
  @Override
  public String name() {
    return "min_max";
  }

  @Override
  public String formula() {
    return "(x - min) / (max - min)";
  }

  @Override
  public double[] normalize(String layer, double[] scores) {
    Scores.check("min_max", layer, scores);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : scores) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double range = max - min;
    if (range == 0) {
      return Scores.constant(scores.length);
    }
    double[] out = new double[scores.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (scores[i] - min) / range;
    }
    return out;
  }
}
