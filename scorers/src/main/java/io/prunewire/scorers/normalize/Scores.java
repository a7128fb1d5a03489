package io.prunewire.scorers.normalize;

import java.util.Arrays;

/** Input validation and order statistics the normalisers share. */
final class Scores {
  private Scores() {}

  static void check(String normalizer, String layer, double[] scores) {
    if (scores == null || scores.length == 0) {
      throw new IllegalArgumentException(normalizer + ": layer " + layer + " has no scores");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            normalizer + ": layer " + layer + ", neuron " + i + " has score " + scores[i]);
      }
    }
  }

  /** Median of {@code values} (the mean of the two middle values for an even count). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  static double[] constant(int n) {
    double[] out = new double[n];
    Arrays.fill(out, 0.5);
    return out;
  }
}
