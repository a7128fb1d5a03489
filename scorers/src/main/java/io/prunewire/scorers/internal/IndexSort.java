package io.prunewire.scorers.internal;

/**
 * Stable ordering of neuron indices by a {@code double} key without boxing.
 *
 * <p>Not part of the public API (the module does not export this package): shared by fusion (ranks)
 * and retention (prune order).
 */
public final class IndexSort {

  private IndexSort() {}

  /**
   * Returns the indices {@code 0..keys.length-1} ordered by ascending key; equal keys keep
   * ascending index order (stable), which makes every tie-break deterministic.
   */
  public static int[] ascending(double[] keys) {
    int n = keys.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] buffer = new int[n];
    // Bottom-up merge sort: stable and O(n log n) on int[] without a Comparator.
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        merge(keys, order, buffer, lo, lo + width, Math.min(lo + 2 * width, n));
      }
    }
    return order;
  }

  private static void merge(double[] keys, int[] order, int[] buffer, int lo, int mid, int hi) {
    System.arraycopy(order, lo, buffer, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      if (i < mid && (j >= hi || Double.compare(keys[buffer[i]], keys[buffer[j]]) <= 0)) {
        order[k] = buffer[i++];
      } else {
        order[k] = buffer[j++];
      }
    }
  }

  /**
   * Fractional ranks (1-based; tied values share the mean of their ranks), as used by Spearman's
   * rank correlation.
   */
  public static double[] averageRanks(double[] values) {
    int n = values.length;
    int[] order = ascending(values);
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && values[order[end]] == values[order[start]]) {
        end++;
      }
      double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
      for (int k = start; k < end; k++) {
        ranks[order[k]] = rank;
      }
      start = end;
    }
    return ranks;
  }
}
