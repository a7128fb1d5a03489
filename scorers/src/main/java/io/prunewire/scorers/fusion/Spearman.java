package io.prunewire.scorers.fusion;

import io.prunewire.scorers.internal.IndexSort;

/** Spearman's rank correlation: Pearson correlation of fractional (tie-averaged) ranks. */
public final class Spearman {

  private Spearman() {}

  /**
   * ρ = cov(rank x, rank y) / (σ_rank x · σ_rank y), in [−1, 1]; {@code NaN} when it is undefined
   * (fewer than two values, or either side constant) — callers decide what "undefined" means.
   */
  public static double of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "Spearman: length mismatch " + x.length + " vs " + y.length);
    }
    if (x.length < 2) {
      return Double.NaN;
    }
    return ofRanks(IndexSort.averageRanks(x), IndexSort.averageRanks(y));
  }

  /** The same from precomputed fractional ranks (Pearson correlation of the ranks). */
  static double ofRanks(double[] a, double[] b) {
    int n = a.length;
    double meanA = 0;
    double meanB = 0;
    for (int i = 0; i < n; i++) {
      meanA += a[i];
      meanB += b[i];
    }
    meanA /= n;
    meanB /= n;
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < n; i++) {
      double da = a[i] - meanA;
      double db = b[i] - meanB;
      cov += da * db;
      varA += da * da;
      varB += db * db;
    }
    if (varA == 0 || varB == 0) {
      return Double.NaN;
    }
    return cov / Math.sqrt(varA * varB);
  }
}
