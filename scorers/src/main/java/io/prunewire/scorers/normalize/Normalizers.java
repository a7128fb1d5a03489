package io.prunewire.scorers.normalize;

import java.util.List;

/** The normalisers by name. */
public final class Normalizers {
  private static final List<Normalizer> ALL =
      List.of(new RankNormalizer(), new RobustZNormalizer(), new MinMaxNormalizer());

  private Normalizers() {}

  /** Rank, robust z and min-max, in that order. */
  public static List<Normalizer> all() {
    return ALL;
  }

  /**
   * The normaliser called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names if there is none
   */
  public static Normalizer byName(String name) {
    for (Normalizer n : ALL) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "unknown normalizer '" + name + "'; known: rank, robust_z, min_max");
  }
}
