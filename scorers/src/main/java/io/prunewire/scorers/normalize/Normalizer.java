package io.prunewire.scorers.normalize;

/** Maps one layer's raw scores monotonically into {@code [0, 1]} (see the package rules). */
public interface Normalizer {
  /** Stable identifier: {@code rank}, {@code robust_z} or {@code min_max}. */
  String name();

  /** The mapping, in plain text. */
  String formula();

  /**
   * A normalised copy of {@code scores}; the input is not modified.
   *
   * @param layer the layer's name, for error messages
   * @throws IllegalArgumentException if {@code scores} is empty or holds a NaN/infinite value
   */
  double[] normalize(String layer, double[] scores);
}
