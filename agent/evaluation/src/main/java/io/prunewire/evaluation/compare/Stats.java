package io.prunewire.evaluation.compare;

import java.util.Arrays;

/** The few summary statistics the report derives itself; each returns NaN where it is undefined. */
final class Stats {

  private Stats() {}

  /** Arithmetic mean; NaN for no values. */
  static double mean(double[] x) {
    return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
  }

  /** Median (mean of the two middle values for an even count); NaN for no values. */
  static double median(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double[] s = x.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /**
   * Pearson correlation {@code r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²)}; NaN for fewer than two
   * pairs or when either side is constant.
   */
  static double pearson(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "pearson: " + x.length + " x values for " + y.length + " y values");
    }
    if (x.length < 2) {
      return Double.NaN;
    }
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  /**
   * Least-squares slope of {@code ln y} against {@code ln x}: the exponent {@code k} of {@code y ∝
   * x^k} (1 = linear in width, 2 = quadratic). NaN for fewer than two distinct {@code x} or any
   * non-positive value.
   */
  static double logLogSlope(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "logLogSlope: " + x.length + " x values for " + y.length + " y values");
    }
    double[] lx = new double[x.length];
    double[] ly = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0) || !(y[i] > 0)) {
        return Double.NaN;
      }
      lx[i] = Math.log(x[i]);
      ly[i] = Math.log(y[i]);
    }
    double mx = mean(lx);
    double my = mean(ly);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < lx.length; i++) {
      sxy += (lx[i] - mx) * (ly[i] - my);
      sxx += (lx[i] - mx) * (lx[i] - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }
}
