package io.prunewire.scorers.stats;

import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Per-neuron histogram over fixed, equal-width bins on {@code [lo, hi]}; values outside the range
 * are clamped into the edge bins. Bin of {@code x}: {@code clamp(floor((x − lo)/(hi − lo)·bins), 0,
 * bins − 1)}. Counts are stored row-major {@code [neurons, bins]}. Merging adds counts and requires
 * identical bins.
 */
public final class Histogram {
  private static final String OWNER = "Histogram";

  private final int neurons;
  private final double lo;
  private final double hi;
  private final int bins;
  private final double binsPerUnit;
  private long total;
  private final long[] counts;

  /** An empty histogram for {@code neurons} neurons with {@code bins} bins on {@code [lo, hi]}. */
  public Histogram(int neurons, double lo, double hi, int bins) {
    this(ArgumentChecks.neurons(OWNER, neurons), lo, hi, bins, 0, null);
  }

  private Histogram(int neurons, double lo, double hi, int bins, long total, long[] counts) {
    checkBins(lo, hi, bins);
    this.neurons = neurons;
    this.lo = lo;
    this.hi = hi;
    this.bins = bins;
    this.binsPerUnit = bins / (hi - lo);
    this.total = total;
    this.counts = counts != null ? counts : new long[Math.multiplyExact(neurons, bins)];
  }

  static void checkBins(double lo, double hi, int bins) {
    ArgumentChecks.finite(OWNER, "lo", lo);
    ArgumentChecks.finite(OWNER, "hi", hi);
    if (!(lo < hi)) {
      throw new IllegalArgumentException(OWNER + ": lo = " + lo + " must be below hi = " + hi);
    }
    if (bins < 1) {
      throw new IllegalArgumentException(OWNER + ": bins must be positive, got " + bins);
    }
  }

  /**
   * Restores a histogram from raw counts {@code [neurons, bins]} (copied). Each neuron's counts
   * must sum to {@code total}.
   */
  public static Histogram of(
      int neurons, double lo, double hi, int bins, long total, long[] counts) {
    check(neurons, lo, hi, bins, total, counts);
    return new Histogram(neurons, lo, hi, bins, total, counts.clone());
  }

  /**
   * As {@link #of}, but the counts are taken over, not copied: for decoders that allocated them for
   * this instance and never touch them again.
   */
  public static Histogram ofOwned(
      int neurons, double lo, double hi, int bins, long total, long[] counts) {
    check(neurons, lo, hi, bins, total, counts);
    return new Histogram(neurons, lo, hi, bins, total, counts);
  }

  private static void check(
      int neurons, double lo, double hi, int bins, long total, long[] counts) {
    ArgumentChecks.neurons(OWNER, neurons);
    checkBins(lo, hi, bins);
    ArgumentChecks.nonNegative(OWNER, "total", total);
    ArgumentChecks.countsWithin(OWNER, "counts", counts, Math.multiplyExact(neurons, bins), total);
    for (int i = 0; i < neurons; i++) {
      long sum = 0;
      for (int b = 0; b < bins; b++) {
        sum += counts[i * bins + b];
      }
      if (sum != total) {
        throw new IllegalArgumentException(
            OWNER + ": counts of neuron " + i + " sum to " + sum + ", expected total = " + total);
      }
    }
  }

  /** Bins a row-major batch {@code [rows, neurons]}. */
  public void addRows(float[] rows) {
    Rows.widen(OWNER, rows, neurons, this::addBlock);
  }

  /** Bins a row-major batch {@code [rows, neurons]}. */
  public void addRows(double[] rows) {
    Rows.check(OWNER, rows, neurons, this::addBlock);
  }

  private void addBlock(double[] block, int rows) {
    int last = bins - 1;
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double x = block[o + i];
        double position = (x - lo) * binsPerUnit;
        int bin = position <= 0 ? 0 : (int) Math.min(position, last);
        counts[i * bins + bin]++;
      }
    }
    total += rows;
  }

  /** Adds {@code other}'s counts; the bins must be identical. */
  public void merge(Histogram other) {
    requireMergeable(other);
    for (int j = 0; j < counts.length; j++) {
      counts[j] += other.counts[j];
    }
    total += other.total;
  }

  /** Throws unless {@code other} has the same neurons and bins, so a merge cannot fail halfway. */
  void requireMergeable(Histogram other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons, other.neurons);
    if (lo != other.lo || hi != other.hi || bins != other.bins) {
      throw new IllegalArgumentException(
          OWNER
              + ": cannot merge bins "
              + other.bins
              + " on ["
              + other.lo
              + ", "
              + other.hi
              + "] into "
              + bins
              + " on ["
              + lo
              + ", "
              + hi
              + "]");
    }
  }

  public Histogram copy() {
    return new Histogram(neurons, lo, hi, bins, total, counts.clone());
  }

  public int neurons() {
    return neurons;
  }

  public double lo() {
    return lo;
  }

  public double hi() {
    return hi;
  }

  public int bins() {
    return bins;
  }

  /** Layer-wide number of samples binned (each neuron's counts sum to it). */
  public long total() {
    return total;
  }

  public long count(int neuron, int bin) {
    return counts[neuron * bins + bin];
  }

  /** Puts {@link #countArray()} into {@code dst} without the intermediate copy. */
  public void putCounts(LongBuffer dst) {
    dst.put(counts);
  }

  /** A copy of the counts, row-major {@code [neurons, bins]}. */
  public long[] countArray() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && lo == h.lo
        && hi == h.hi
        && bins == h.bins
        && total == h.total
        && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(total) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Histogram[neurons="
        + neurons
        + ", bins="
        + bins
        + " on ["
        + lo
        + ", "
        + hi
        + "], total="
        + total
        + "]";
  }
}
