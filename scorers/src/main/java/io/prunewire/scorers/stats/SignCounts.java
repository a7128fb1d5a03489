package io.prunewire.scorers.stats;

import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Sign of a per-neuron quantity across windows: the number of windows, and per neuron the windows
 * whose value (typically the window mean of {@code ∂L/∂a}) was {@code > 0} and {@code < 0}. Merging
 * adds. {@code consistency(i) = |positive − negative| / windows} ∈ [0, 1].
 */
public final class SignCounts {
  private static final String OWNER = "SignCounts";

  private final int neurons;
  private long windows;
  private final long[] positive;
  private final long[] negative;

  /** An empty counter for {@code neurons} neurons. */
  public SignCounts(int neurons) {
    this(ArgumentChecks.neurons(OWNER, neurons), 0, new long[neurons], new long[neurons]);
  }

  private SignCounts(int neurons, long windows, long[] positive, long[] negative) {
    this.neurons = neurons;
    this.windows = windows;
    this.positive = positive;
    this.negative = negative;
  }

  /**
   * Restores sign counts; arrays are copied.
   *
   * @throws IllegalArgumentException on negative values, unequal lengths, or {@code positive +
   *     negative > windows}
   */
  public static SignCounts of(long windows, long[] positive, long[] negative) {
    int n = check(windows, positive, negative);
    return new SignCounts(n, windows, positive.clone(), negative.clone());
  }

  /**
   * As {@link #of}, but the arrays are taken over, not copied: for decoders that allocated them for
   * this instance and never touch them again.
   */
  public static SignCounts ofOwned(long windows, long[] positive, long[] negative) {
    int n = check(windows, positive, negative);
    return new SignCounts(n, windows, positive, negative);
  }

  private static int check(long windows, long[] positive, long[] negative) {
    ArgumentChecks.nonNegative(OWNER, "windows", windows);
    ArgumentChecks.notNull(OWNER, "positive", positive);
    int n = ArgumentChecks.neurons(OWNER, positive.length);
    ArgumentChecks.countsWithin(OWNER, "positive", positive, n, windows);
    ArgumentChecks.countsWithin(OWNER, "negative", negative, n, windows);
    for (int i = 0; i < n; i++) {
      if (positive[i] + negative[i] > windows) {
        throw new IllegalArgumentException(
            OWNER
                + ": positive["
                + i
                + "] + negative["
                + i
                + "] = "
                + (positive[i] + negative[i])
                + " exceeds windows = "
                + windows);
      }
    }
    return n;
  }

  /** Records one window: the sign of each neuron's window value. */
  public void addWindow(double[] windowValues) {
    ArgumentChecks.finite(OWNER, "windowValues", windowValues, neurons);
    for (int i = 0; i < neurons; i++) {
      if (windowValues[i] > 0) {
        positive[i]++;
      } else if (windowValues[i] < 0) {
        negative[i]++;
      }
    }
    windows++;
  }

  /** Adds {@code other}'s windows and counts to this. */
  public void merge(SignCounts other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons, other.neurons);
    for (int i = 0; i < neurons; i++) {
      positive[i] += other.positive[i];
      negative[i] += other.negative[i];
    }
    windows += other.windows;
  }

  public SignCounts copy() {
    return new SignCounts(neurons, windows, positive.clone(), negative.clone());
  }

  public int neurons() {
    return neurons;
  }

  public long windows() {
    return windows;
  }

  public long positive(int neuron) {
    return positive[neuron];
  }

  public long negative(int neuron) {
    return negative[neuron];
  }

  /** {@code |positive − negative| / windows}; 0 when no window was recorded. */
  public double consistency(int neuron) {
    return windows == 0 ? 0 : (double) Math.abs(positive[neuron] - negative[neuron]) / windows;
  }

  /** Puts {@link #positiveArray()} into {@code dst} without the intermediate copy. */
  public void putPositive(LongBuffer dst) {
    dst.put(positive);
  }

  /** Puts {@link #negativeArray()} into {@code dst} without the intermediate copy. */
  public void putNegative(LongBuffer dst) {
    dst.put(negative);
  }

  public long[] positiveArray() {
    return positive.clone();
  }

  public long[] negativeArray() {
    return negative.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignCounts s
        && windows == s.windows
        && Arrays.equals(positive, s.positive)
        && Arrays.equals(negative, s.negative);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(windows) * 31 + Arrays.hashCode(positive);
  }

  @Override
  public String toString() {
    return "SignCounts[neurons=" + neurons + ", windows=" + windows + "]";
  }
}
