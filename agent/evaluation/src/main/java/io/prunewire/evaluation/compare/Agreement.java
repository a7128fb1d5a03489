package io.prunewire.evaluation.compare;

import io.prunewire.scorers.fusion.Kendall;
import io.prunewire.trainer.mask.NeuronMasks;

/** How much two rankings or two kept sets of the same neurons agree. */
final class Agreement {

  private Agreement() {}

  /** Kendall's τ-b ({@link Kendall#tauB}). */
  static double kendallTauB(double[] x, double[] y) {
    return Kendall.tauB(x, y);
  }

  /** {@code |A ∩ B| / |A ∪ B|} of the kept neurons over every layer; 1 when both keep nothing. */
  static double jaccardOfKept(NeuronMasks a, NeuronMasks b) {
    if (!a.layers().equals(b.layers())) {
      throw new IllegalArgumentException(
          "Jaccard: masks over different layers " + a.layers() + " vs " + b.layers());
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
