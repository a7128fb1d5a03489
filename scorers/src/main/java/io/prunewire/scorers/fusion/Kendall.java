package io.prunewire.scorers.fusion;

/** Kendall's rank correlation τ-b. */
public final class Kendall {

  private Kendall() {}

  /**
   * Kendall's τ-b, {@code (C − D) / sqrt((n0 − n1)(n0 − n2))} with C/D the concordant/discordant
   * pairs, n0 = n(n−1)/2 and n1, n2 the pairs tied in x and in y (Kendall 1945); {@code NaN} when
   * either side is constant. O(n²): for layers of at most a few thousand neurons.
   */
  public static double tauB(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "Kendall tau: length mismatch " + x.length + " vs " + y.length);
    }
    long concordant = 0;
    long discordant = 0;
    long tiedX = 0;
    long tiedY = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) {
        int sx = Double.compare(x[i], x[j]);
        int sy = Double.compare(y[i], y[j]);
        if (sx == 0) {
          tiedX++;
        }
        if (sy == 0) {
          tiedY++;
        }
        if (sx != 0 && sy != 0) {
          if (sx == sy) {
            concordant++;
          } else {
            discordant++;
          }
        }
      }
    }
    double n0 = x.length * (x.length - 1) / 2.0;
    double denominator = Math.sqrt((n0 - tiedX) * (n0 - tiedY));
    return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
  }
}
