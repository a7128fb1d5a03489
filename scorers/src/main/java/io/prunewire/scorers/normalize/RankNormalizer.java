package io.prunewire.scorers.normalize;

import java.util.Arrays;

/**
 * Rank normalisation: {@code r_i / (n − 1)} with {@code r_i} the 0-based rank of neuron {@code i},
 * tied scores sharing the average of their ranks, so the result is in {@code [0, 1]}, uniform over
 * the layer and insensitive to outliers and units. {@code O(n log n)}.
 */
final class RankNormalizer implements Normalizer {
  @Override
  public String name() {
    return "rank";
  }

  @Override
  public String formula() {
    return "average 0-based rank / (n - 1)";
  }

  @Override
  public double[] normalize(String layer, double[] scores) {
    Scores.check("rank", layer, scores);
    int n = scores.length;
    if (n == 1) {
      return Scores.constant(1);
    }
    // primitive sort plus one binary search per neuron: no boxing, O(n log n);
    // "+ 0.0" turns -0.0 into 0.0 so the two zeros tie as they compare equal
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = scores[i] + 0.0;
    }
    Arrays.sort(sorted);
    // Each run of equal values [first, last] of the sorted scores, at its first index: the average
    // of its ranks. A score's first index is one binary search away.
    double[] rankAt = new double[n];
    for (int first = 0; first < n; ) {
      int last = first;
      while (last + 1 < n && sorted[last + 1] == sorted[first]) {
        last++;
      }
      rankAt[first] = 0.5 * (first + last) / (n - 1);
      first = last + 1;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rankAt[firstAtLeast(sorted, scores[i] + 0.0)];
    }
    return out;
  }

  /**
   * The first index whose value is at least {@code x} (which {@code sorted} holds): a binary search
   * whose step is a conditional move rather than a branch, which the processor cannot predict here.
   */
  private static int firstAtLeast(double[] sorted, double x) {
    int base = 0;
    int len = sorted.length;
    while (len > 1) {
      int half = len >>> 1;
      base = sorted[base + half - 1] < x ? base + half : base;
      len -= half;
    }
    return sorted[base] < x ? base + 1 : base;
  }
}
