package io.prunewire.scorers.stats;

import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Per-neuron count of non-zero samples (for spiking neurons: spikes) out of a layer-wide total.
 * {@code rate(i) = count_i / total} is the firing rate. Merging adds counts and totals.
 */
public final class Counts {
  private static final String OWNER = "Counts";

  private final int neurons;
  private long total;
  private final long[] counts;

  /** An empty counter for {@code neurons} neurons. */
  public Counts(int neurons) {
    this(ArgumentChecks.neurons(OWNER, neurons), 0, new long[neurons]);
  }

  private Counts(int neurons, long total, long[] counts) {
    this.neurons = neurons;
    this.total = total;
    this.counts = counts;
  }

  /**
   * Restores counts from raw values; the array is copied.
   *
   * @throws IllegalArgumentException on a negative total or a count outside {@code [0, total]}
   */
  public static Counts of(long total, long[] counts) {
    ArgumentChecks.nonNegative(OWNER, "total", total);
    ArgumentChecks.notNull(OWNER, "counts", counts);
    int n = ArgumentChecks.neurons(OWNER, counts.length);
    ArgumentChecks.countsWithin(OWNER, "counts", counts, n, total);
    return new Counts(n, total, counts.clone());
  }

  /**
   * As {@link #of}, but the array is taken over, not copied: for decoders that allocated it for
   * this instance and never touch it again.
   */
  public static Counts ofOwned(long total, long[] counts) {
    ArgumentChecks.nonNegative(OWNER, "total", total);
    ArgumentChecks.notNull(OWNER, "counts", counts);
    int n = ArgumentChecks.neurons(OWNER, counts.length);
    ArgumentChecks.countsWithin(OWNER, "counts", counts, n, total);
    return new Counts(n, total, counts);
  }

  /** Counts the non-zero values of a row-major batch {@code [rows, neurons]}. */
  public void addRows(float[] rows) {
    Rows.widen(OWNER, rows, neurons, this::addBlock);
  }

  /** Counts the non-zero values of a row-major batch {@code [rows, neurons]}. */
  public void addRows(double[] rows) {
    Rows.check(OWNER, rows, neurons, this::addBlock);
  }

  private void addBlock(double[] block, int rows) {
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double x = block[o + i];
        if (x != 0) {
          counts[i]++;
        }
      }
    }
    total += rows;
  }

  /** Adds {@code other}'s counts and total to this. */
  public void merge(Counts other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons, other.neurons);
    for (int i = 0; i < neurons; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  public Counts copy() {
    return new Counts(neurons, total, counts.clone());
  }

  public int neurons() {
    return neurons;
  }

  /** Layer-wide number of samples counted. */
  public long total() {
    return total;
  }

  public long count(int neuron) {
    return counts[neuron];
  }

  /** {@code count / total}, 0 when nothing was counted. */
  public double rate(int neuron) {
    return total == 0 ? 0 : (double) counts[neuron] / total;
  }

  /** Puts {@link #countArray()} into {@code dst} without the intermediate copy. */
  public void putCounts(LongBuffer dst) {
    dst.put(counts);
  }

  /** A copy of the per-neuron counts. */
  public long[] countArray() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Counts c && total == c.total && Arrays.equals(counts, c.counts);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(total) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Counts[neurons=" + neurons + ", total=" + total + "]";
  }
}
