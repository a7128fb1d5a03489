package io.prunewire.trainer.probe;

/**
 * The mean of per-batch values and its standard error, {@code se = s / √n} with {@code s} the
 * sample standard deviation ({@code n − 1} in the denominator); NaN for a single batch, whose
 * spread is unknown.
 *
 * @param mean {@code Σ x_b / n}
 * @param stdErr {@code √(Σ (x_b − mean)² / (n − 1) / n)}, NaN when {@code n = 1}
 * @param batches {@code n}, ≥ 1
 */
public record BatchMean(double mean, double stdErr, int batches) {

  public BatchMean {
    if (batches < 1) {
      throw new IllegalArgumentException("batch mean: needs >= 1 batch, got " + batches);
    }
  }

  /** The mean and standard error of {@code perBatch}. */
  public static BatchMean of(double[] perBatch) {
    int n = perBatch.length;
    if (n == 0) {
      throw new IllegalArgumentException("batch mean: no batches");
    }
    double sum = 0;
    for (double x : perBatch) {
      sum += x;
    }
    double mean = sum / n;
    if (n == 1) {
      return new BatchMean(mean, Double.NaN, 1);
    }
    double squares = 0;
    for (double x : perBatch) {
      squares += (x - mean) * (x - mean);
    }
    return new BatchMean(mean, Math.sqrt(squares / (n - 1) / n), n);
  }
}
