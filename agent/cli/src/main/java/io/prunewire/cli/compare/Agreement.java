package io.prunewire.cli.compare;

import io.prunewire.trainer.mask.NeuronMasks;

/** How much two rankings or two kept sets of the same neurons agree. */
final class Agreement {

  private Agreement() {}

  /**
   * Kendall's τ-b, {@code (C − D) / sqrt((n0 − n1)(n0 − n2))} with C/D the concordant/discordant
   * pairs, n0 = n(n−1)/2 and n1, n2 the pairs tied in x and in y (Kendall 1945); {@code NaN} when
   * either side is constant. O(n²): layers here have at most a few thousand neurons.
   */
  static double kendallTauB(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("Kendall tau: length mismatch " + x.length + " vs " + y.length);
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

  /** {@code |A ∩ B| / |A ∪ B|} of the kept neurons over every layer; 1 when both keep nothing. */
  static double jaccardOfKept(NeuronMasks a, NeuronMasks b) {
    if (!a.layers().equals(b.layers())) {
      throw new IllegalArgumentException("Jaccard: masks over different layers " + a.layers() + " vs " + b.layers());
    }
    long both = 0;
    long either = 0;
    for (String layer : a.layers()) {
      boolean[] ka = a.keep(layer);
      boolean[] kb = b.keep(layer);
      for (int i = 0; i < ka.length; i++) {
        both += ka[i] && kb[i] ? 1 : 0;
        either += ka[i] || kb[i] ? 1 : 0;
      }
    }
    return either == 0 ? 1 : (double) both / either;
  }
}
