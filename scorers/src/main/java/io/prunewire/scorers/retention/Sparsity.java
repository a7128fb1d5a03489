package io.prunewire.scorers.retention;

/** Shared arithmetic of sparsity targets. */
final class Sparsity {

  private Sparsity() {}

  static double check(String policy, double sparsity) {
    if (!(sparsity >= 0 && sparsity <= 1)) {
      throw new IllegalArgumentException(
          policy + " retention: sparsity must be in [0, 1], got " + sparsity);
    }
    return sparsity;
  }

  /**
   * Neurons kept out of {@code size} at {@code sparsity}: {@code size − round(sparsity·size)},
   * halves up.
   */
  static int kept(int size, double sparsity) {
    return size - (int) Math.round(sparsity * size);
  }
}
