package io.prunewire.scorers.stats;

import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Per-neuron streaming moments of one quantity: a layer-wide sample count {@code n} and, per
 * neuron, the mean, {@code M2 = Σ (x − mean)²}, minimum and maximum.
 *
 * <p>Batches are reduced to their own mean and M2 (two passes) and combined with the parallel
 * update of Chan, Golub and LeVeque (1979): for parts A and B with {@code δ = mean_B − mean_A},
 * {@code mean = mean_A + δ·n_B/n} and {@code M2 = M2_A + M2_B + δ²·n_A·n_B/n}. The update is
 * order-independent up to rounding, so summaries from many trainers and windows merge in any order.
 * An empty accumulator ({@code n = 0}) holds zeros in every array.
 *
 * <p>Not thread-safe; {@link #merge} and the {@code add} methods mutate this instance.
 */
public final class Moments {
  private static final String OWNER = "Moments";

  private final int neurons;
  private long count;
  private final double[] mean;
  private final double[] m2;
  private final double[] min;
  private final double[] max;

  /** An empty accumulator for {@code neurons} neurons. */
  public Moments(int neurons) {
    this(
        ArgumentChecks.neurons(OWNER, neurons),
        0,
        new double[neurons],
        new double[neurons],
        new double[neurons],
        new double[neurons]);
  }

  private Moments(int neurons, long count, double[] mean, double[] m2, double[] min, double[] max) {
    this.neurons = neurons;
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
    this.min = min;
    this.max = max;
  }

  /**
   * Restores moments from raw arrays (e.g. decoded from the wire); the arrays are copied.
   *
   * @throws IllegalArgumentException naming the field on a negative count or M2, NaN/Inf, unequal
   *     lengths, {@code min > max}, or non-zero values with {@code count == 0}
   */
  public static Moments of(long count, double[] mean, double[] m2, double[] min, double[] max) {
    int n = check(count, mean, m2, min, max);
    return new Moments(n, count, mean.clone(), m2.clone(), min.clone(), max.clone());
  }

  /**
   * As {@link #of}, but the arrays are taken over, not copied: for decoders that allocated them for
   * this instance and never touch them again.
   */
  public static Moments ofOwned(
      long count, double[] mean, double[] m2, double[] min, double[] max) {
    int n = check(count, mean, m2, min, max);
    return new Moments(n, count, mean, m2, min, max);
  }

  private static int check(long count, double[] mean, double[] m2, double[] min, double[] max) {
    ArgumentChecks.nonNegative(OWNER, "count", count);
    ArgumentChecks.notNull(OWNER, "mean", mean);
    int n = ArgumentChecks.neurons(OWNER, mean.length);
    ArgumentChecks.finite(OWNER, "mean", mean, n);
    ArgumentChecks.finite(OWNER, "m2", m2, n);
    ArgumentChecks.finite(OWNER, "min", min, n);
    ArgumentChecks.finite(OWNER, "max", max, n);
    ArgumentChecks.nonNegative(OWNER, "m2", m2);
    for (int i = 0; i < n; i++) {
      if (min[i] > max[i]) {
        throw new IllegalArgumentException(
            OWNER + ".min[" + i + "] = " + min[i] + " exceeds max[" + i + "] = " + max[i]);
      }
      if (count == 0 && (mean[i] != 0 || m2[i] != 0 || min[i] != 0 || max[i] != 0)) {
        throw new IllegalArgumentException(
            OWNER + ": count is 0 but neuron " + i + " has non-zero mean/m2/min/max");
      }
    }
    return n;
  }

  /** Adds a row-major batch {@code [rows, neurons]}; every value must be finite. */
  public void addRows(float[] rows) {
    Rows.widen(OWNER, rows, neurons, this::addBlock);
  }

  /** Adds a row-major batch {@code [rows, neurons]}; every value must be finite. */
  public void addRows(double[] rows) {
    Rows.check(OWNER, rows, neurons, this::addBlock);
  }

  /** Adds one sample: one value per neuron. */
  public void addSample(double[] sample) {
    ArgumentChecks.notNull(OWNER, "sample", sample);
    ArgumentChecks.length(OWNER, "sample", sample.length, neurons);
    addRows(sample);
  }

  private void addBlock(double[] block, int rows) {
    double[] bMean = new double[neurons];
    double[] bM2 = new double[neurons];
    double[] bMin = new double[neurons];
    double[] bMax = new double[neurons];
    Arrays.fill(bMin, Double.POSITIVE_INFINITY);
    Arrays.fill(bMax, Double.NEGATIVE_INFINITY);
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double x = block[o + i];
        bMean[i] += x;
        bMin[i] = Math.min(bMin[i], x);
        bMax[i] = Math.max(bMax[i], x);
      }
    }
    for (int i = 0; i < neurons; i++) {
      bMean[i] /= rows;
    }
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double d = block[o + i] - bMean[i];
        bM2[i] += d * d;
      }
    }
    combine(rows, bMean, bM2, bMin, bMax);
  }

  /** Merges {@code other} into this (Chan et al.); {@code other} is unchanged. */
  public void merge(Moments other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons, other.neurons);
    combine(other.count, other.mean, other.m2, other.min, other.max);
  }

  private void combine(long nb, double[] meanB, double[] m2B, double[] minB, double[] maxB) {
    if (nb == 0) {
      return;
    }
    long na = count;
    if (na == 0) {
      System.arraycopy(meanB, 0, mean, 0, neurons);
      System.arraycopy(m2B, 0, m2, 0, neurons);
      System.arraycopy(minB, 0, min, 0, neurons);
      System.arraycopy(maxB, 0, max, 0, neurons);
      count = nb;
      return;
    }
    double n = (double) na + nb;
    double towardsB = nb / n;
    double cross = (double) na * nb / n;
    // Three loops rather than one: C2 (JDK 17) vectorises each of them, but not a loop that mixes
    // Math.min/max with the arithmetic, which runs about 3.5x slower. Same values either way.
    for (int i = 0; i < neurons; i++) {
      double delta = meanB[i] - mean[i];
      mean[i] += delta * towardsB;
      m2[i] += m2B[i] + delta * delta * cross;
    }
    for (int i = 0; i < neurons; i++) {
      min[i] = Math.min(min[i], minB[i]);
    }
    for (int i = 0; i < neurons; i++) {
      max[i] = Math.max(max[i], maxB[i]);
    }
    count = na + nb;
  }

  /** A deep copy. */
  public Moments copy() {
    return new Moments(neurons, count, mean.clone(), m2.clone(), min.clone(), max.clone());
  }

  public int neurons() {
    return neurons;
  }

  /** Layer-wide number of samples merged so far. */
  public long count() {
    return count;
  }

  public double mean(int neuron) {
    return mean[neuron];
  }

  /** Sum of squared deviations from the mean. */
  public double m2(int neuron) {
    return m2[neuron];
  }

  /** Population variance {@code M2 / n}; 0 when empty. */
  public double variance(int neuron) {
    return count == 0 ? 0 : m2[neuron] / count;
  }

  /** Population standard deviation {@code sqrt(M2 / n)}. */
  public double std(int neuron) {
    return Math.sqrt(variance(neuron));
  }

  /** Second raw moment {@code E[x²] = variance + mean²}. */
  public double meanSquare(int neuron) {
    return variance(neuron) + mean[neuron] * mean[neuron];
  }

  public double min(int neuron) {
    return min[neuron];
  }

  public double max(int neuron) {
    return max[neuron];
  }

  /**
   * Puts the per-neuron means, M2 values, minima or maxima into {@code dst} (relative bulk put):
   * what {@link #meanArray()} and the others return, without the intermediate copy, for encoders
   * that write state on every event.
   */
  public void putMean(DoubleBuffer dst) {
    dst.put(mean);
  }

  /** See {@link #putMean}. */
  public void putM2(DoubleBuffer dst) {
    dst.put(m2);
  }

  /** See {@link #putMean}. */
  public void putMin(DoubleBuffer dst) {
    dst.put(min);
  }

  /** See {@link #putMean}. */
  public void putMax(DoubleBuffer dst) {
    dst.put(max);
  }

  /** A copy of the per-neuron means. */
  public double[] meanArray() {
    return mean.clone();
  }

  /** A copy of the per-neuron M2 values. */
  public double[] m2Array() {
    return m2.clone();
  }

  /** A copy of the per-neuron minima. */
  public double[] minArray() {
    return min.clone();
  }

  /** A copy of the per-neuron maxima. */
  public double[] maxArray() {
    return max.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Moments m
        && count == m.count
        && Arrays.equals(mean, m.mean)
        && Arrays.equals(m2, m.m2)
        && Arrays.equals(min, m.min)
        && Arrays.equals(max, m.max);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Arrays.hashCode(mean);
  }

  @Override
  public String toString() {
    return "Moments[neurons=" + neurons + ", count=" + count + "]";
  }
}
