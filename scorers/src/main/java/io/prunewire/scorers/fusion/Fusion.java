package io.prunewire.scorers.fusion;

/**
 * Combines the normalised criteria of one layer into one score per neuron (higher = more
 * important). Implementations report the weights they used.
 */
public interface Fusion {

  /**
   * The strategy's catalog name ({@code simple}, {@code seed}, {@code adaptive}, {@code learned}).
   */
  String name();

  /** Fuses the criteria of one layer. Does not change the fusion's state. */
  FusedScores fuse(CriterionScores criteria);
}
