package io.prunewire.scorers.stats;

/**
 * Row-major batches {@code [rows, neurons]}: validation (lengths, NaN/Inf) before any update, and
 * float batches widened to double in bounded blocks so each accumulator has a single double kernel
 * without copying a whole batch.
 */
final class Rows {
  /** Doubles per widened block (512 KB), so a large float batch never allocates its double twin. */
  private static final int BLOCK_DOUBLES = 1 << 16;

  @FunctionalInterface
  interface Kernel {
    /**
     * Consumes {@code rows} rows of {@code neurons} values starting at index 0 of {@code block}.
     */
    void accept(double[] block, int rows);
  }

  private Rows() {}

  static int count(String owner, int length, int neurons) {
    if (length == 0 || length % neurons != 0) {
      throw new IllegalArgumentException(
          owner
              + ": batch length "
              + length
              + " is not a positive multiple of "
              + neurons
              + " neurons");
    }
    return length / neurons;
  }

  /**
   * Validates a float batch completely (so a bad value never leaves an accumulator half updated),
   * then feeds it to {@code kernel} in widened blocks.
   */
  static void widen(String owner, float[] data, int neurons, Kernel kernel) {
    ArgumentChecks.notNull(owner, "rows", data);
    int rows = count(owner, data.length, neurons);
    for (int j = 0; j < data.length; j++) {
      if (!Float.isFinite(data[j])) {
        throw ArgumentChecks.notFiniteSample(owner, j / neurons, j % neurons, data[j]);
      }
    }
    int perBlock = Math.max(1, Math.min(rows, BLOCK_DOUBLES / neurons));
    double[] block = new double[perBlock * neurons];
    for (int start = 0; start < rows; start += perBlock) {
      int take = Math.min(perBlock, rows - start);
      int offset = start * neurons;
      for (int j = 0; j < take * neurons; j++) {
        block[j] = data[offset + j];
      }
      kernel.accept(block, take);
    }
  }

  /** Element-wise {@code |x|} of a batch, for the magnitude moments. */
  static float[] absolute(String owner, float[] data) {
    ArgumentChecks.notNull(owner, "rows", data);
    float[] abs = new float[data.length];
    for (int j = 0; j < data.length; j++) {
      abs[j] = Math.abs(data[j]);
    }
    return abs;
  }

  /** Element-wise {@code |x|} of a batch, for the magnitude moments. */
  static double[] absolute(String owner, double[] data) {
    ArgumentChecks.notNull(owner, "rows", data);
    double[] abs = new double[data.length];
    for (int j = 0; j < data.length; j++) {
      abs[j] = Math.abs(data[j]);
    }
    return abs;
  }

  /** Validates a double batch completely, then feeds it to {@code kernel}. */
  static void check(String owner, double[] data, int neurons, Kernel kernel) {
    ArgumentChecks.notNull(owner, "rows", data);
    int rows = count(owner, data.length, neurons);
    for (int j = 0; j < data.length; j++) {
      if (!Double.isFinite(data[j])) {
        throw ArgumentChecks.notFiniteSample(owner, j / neurons, j % neurons, data[j]);
      }
    }
    kernel.accept(data, rows);
  }
}
