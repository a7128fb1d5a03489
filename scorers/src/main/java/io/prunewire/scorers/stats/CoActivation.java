package io.prunewire.scorers.stats;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Co-activation of every neuron with {@code k} anchor neurons, for cooperative criteria at {@code
 * O(N·k)} per sample instead of {@code O(N²)}.
 *
 * <p>Holds a layer-wide count {@code n}, per neuron the mean and {@code M2 = Σ (x_i − mean_i)²},
 * and per (neuron, anchor) the co-moment {@code C_ia = Σ (x_i − mean_i)(x_a − mean_a)}. These carry
 * the same information as the raw sums {@code Σx_i, Σx_i², Σx_i·x_a} but stay accurate when shipped
 * as floats and merged many times: raw sums lose the covariance to cancellation. Batches and merges
 * use the pairwise update of Chan et al. extended to co-moments: {@code C = C_A + C_B +
 * δ_i·δ_a·n_A·n_B/n}.
 *
 * <p>Inside, the co-moments are held as one array per anchor, indexed by neuron, so that batches
 * and merges run, per anchor, one loop over the neurons in which every array is indexed by the loop
 * counter alone. HotSpot's C2 (JDK 17) vectorises that loop; it leaves a loop over one flat array
 * at offset {@code a·N + i} (or over the {@code k} anchors of a neuron-major row) scalar, about 3×
 * slower. Every element gets the same arithmetic in the same order in either layout, so the values
 * are identical bit for bit. The raw accessors ({@link #of}, {@link #comomentArray()}) keep the
 * row-major {@code [neurons, k]} layout of the wire format.
 *
 * <p>{@link #correlation(int, int)} is the exact Pearson correlation of neuron {@code i} with
 * anchor {@code a} over all merged samples (not an estimate); only the set of pairs is sampled.
 * Anchors are {@code k} distinct neurons drawn by a seeded RNG and sorted; with {@code k = N} every
 * pair is covered. Merging requires identical anchors.
 */
public final class CoActivation {
  private static final String OWNER = "CoActivation";

  private final int neurons;
  private final int[] anchors;
  private long count;
  private final double[] mean;
  private final double[] m2;

  /** {@code comoment[a][i]}: the co-moment of neuron i with anchor number a. */
  private final double[][] comoment;

  /**
   * An empty summary for {@code neurons} neurons with {@code k} anchors drawn from {@code seed}.
   */
  public CoActivation(int neurons, int k, long seed) {
    this(
        ArgumentChecks.neurons(OWNER, neurons),
        drawAnchors(neurons, k, seed),
        0,
        new double[neurons],
        new double[neurons],
        new double[k][neurons]);
  }

  private CoActivation(
      int neurons, int[] anchors, long count, double[] mean, double[] m2, double[][] comoment) {
    this.neurons = neurons;
    this.anchors = anchors;
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
    this.comoment = comoment;
  }

  /**
   * {@code k} distinct neurons by a partial Fisher–Yates shuffle seeded with {@code seed}, sorted.
   */
  static int[] drawAnchors(int neurons, int k, long seed) {
    if (k < 1 || k > neurons) {
      throw new IllegalArgumentException(
          OWNER + ": anchors k = " + k + " must be in [1, " + neurons + "]");
    }
    int[] order = new int[neurons];
    for (int i = 0; i < neurons; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(neurons - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] chosen = Arrays.copyOf(order, k);
    Arrays.sort(chosen);
    return chosen;
  }

  /**
   * Restores a summary from raw arrays (copied): {@code anchors} strictly increasing neuron
   * indices, {@code mean} and {@code m2} of length {@code neurons}, {@code comoment} row-major
   * {@code [neurons, anchors.length]}.
   */
  public static CoActivation of(
      long count, int[] anchors, double[] mean, double[] m2, double[] comoment) {
    int n = check(count, anchors, mean, m2);
    ArgumentChecks.finite(OWNER, "comoment", comoment, Math.multiplyExact(n, anchors.length));
    return new CoActivation(
        n, anchors.clone(), count, mean.clone(), m2.clone(), byAnchor(comoment, n, anchors.length));
  }

  /**
   * As {@link #of}, but with the co-moments grouped by anchor, {@code comoment[a][i]} for anchor
   * number {@code a} and neuron {@code i} (the layout this class keeps), and every array taken
   * over, not copied: for decoders that allocated them for this instance and never touch them
   * again.
   */
  public static CoActivation ofOwned(
      long count, int[] anchors, double[] mean, double[] m2, double[][] comoment) {
    int n = check(count, anchors, mean, m2);
    ArgumentChecks.notNull(OWNER, "comoment", comoment);
    ArgumentChecks.length(OWNER, "comoment", comoment.length, anchors.length);
    for (int a = 0; a < comoment.length; a++) {
      ArgumentChecks.finite(OWNER, "comoment[anchor " + a + "]", comoment[a], n);
    }
    return new CoActivation(n, anchors, count, mean, m2, comoment);
  }

  private static int check(long count, int[] anchors, double[] mean, double[] m2) {
    ArgumentChecks.nonNegative(OWNER, "count", count);
    ArgumentChecks.notNull(OWNER, "mean", mean);
    ArgumentChecks.notNull(OWNER, "anchors", anchors);
    int n = ArgumentChecks.neurons(OWNER, mean.length);
    if (anchors.length < 1 || anchors.length > n) {
      throw new IllegalArgumentException(
          OWNER + ".anchors has length " + anchors.length + ", expected 1.." + n);
    }
    for (int a = 0; a < anchors.length; a++) {
      if (anchors[a] < 0 || anchors[a] >= n || (a > 0 && anchors[a] <= anchors[a - 1])) {
        throw new IllegalArgumentException(
            OWNER
                + ".anchors must be strictly increasing indices in [0, "
                + n
                + "), got anchors["
                + a
                + "] = "
                + anchors[a]);
      }
    }
    ArgumentChecks.finite(OWNER, "mean", mean, n);
    ArgumentChecks.finite(OWNER, "m2", m2, n);
    ArgumentChecks.nonNegative(OWNER, "m2", m2);
    return n;
  }

  /** Adds a row-major batch {@code [rows, neurons]}. */
  public void addRows(float[] rows) {
    Rows.widen(OWNER, rows, neurons, this::addBlock);
  }

  /** Adds a row-major batch {@code [rows, neurons]}. */
  public void addRows(double[] rows) {
    Rows.check(OWNER, rows, neurons, this::addBlock);
  }

  private void addBlock(double[] block, int rows) {
    int k = anchors.length;
    double[] bMean = new double[neurons];
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double x = block[o + i];
        bMean[i] += x;
      }
    }
    for (int i = 0; i < neurons; i++) {
      bMean[i] /= rows;
    }
    double[] bM2 = new double[neurons];
    double[][] bCo = new double[k][neurons];
    double[] deviation = new double[neurons];
    for (int r = 0; r < rows; r++) {
      int o = r * neurons;
      for (int i = 0; i < neurons; i++) {
        double d = block[o + i] - bMean[i];
        deviation[i] = d;
        bM2[i] += d * d;
      }
      for (int a = 0; a < k; a++) {
        double anchorDeviation = deviation[anchors[a]];
        double[] co = bCo[a];
        for (int i = 0; i < neurons; i++) {
          co[i] += deviation[i] * anchorDeviation;
        }
      }
    }
    combine(rows, bMean, bM2, bCo);
  }

  /** Merges {@code other} (same neurons and anchors) into this. */
  public void merge(CoActivation other) {
    requireMergeable(other);
    combine(other.count, other.mean, other.m2, other.comoment);
  }

  /**
   * Throws unless {@code other} has the same neurons and anchors, so a merge cannot fail halfway.
   */
  void requireMergeable(CoActivation other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons, other.neurons);
    if (!Arrays.equals(anchors, other.anchors)) {
      throw new IllegalArgumentException(
          OWNER
              + ": cannot merge a summary with different anchors ("
              + other.anchors.length
              + " vs "
              + anchors.length
              + ")");
    }
  }

  private void combine(long nb, double[] meanB, double[] m2B, double[][] coB) {
    if (nb == 0) {
      return;
    }
    long na = count;
    if (na == 0) {
      System.arraycopy(meanB, 0, mean, 0, neurons);
      System.arraycopy(m2B, 0, m2, 0, neurons);
      for (int a = 0; a < comoment.length; a++) {
        System.arraycopy(coB[a], 0, comoment[a], 0, neurons);
      }
      count = nb;
      return;
    }
    int k = anchors.length;
    double n = (double) na + nb;
    double towardsB = nb / n;
    double cross = (double) na * nb / n;
    // Co-moments first: they need every mean before this merge moves it.
    for (int a = 0; a < k; a++) {
      double anchorDelta = (meanB[anchors[a]] - mean[anchors[a]]) * cross;
      double[] co = comoment[a];
      double[] other = coB[a];
      for (int i = 0; i < neurons; i++) {
        co[i] += other[i] + (meanB[i] - mean[i]) * anchorDelta;
      }
    }
    for (int i = 0; i < neurons; i++) {
      double delta = meanB[i] - mean[i];
      m2[i] += m2B[i] + delta * delta * cross;
      mean[i] += delta * towardsB;
    }
    count = na + nb;
  }

  public CoActivation copy() {
    double[][] co = new double[comoment.length][];
    for (int a = 0; a < co.length; a++) {
      co[a] = comoment[a].clone();
    }
    return new CoActivation(neurons, anchors, count, mean.clone(), m2.clone(), co);
  }

  public int neurons() {
    return neurons;
  }

  /** Number of anchors {@code k}. */
  public int anchorCount() {
    return anchors.length;
  }

  /** The neuron index of anchor {@code a}. */
  public int anchor(int a) {
    return anchors[a];
  }

  /** A copy of the anchor neuron indices, increasing. */
  public int[] anchorArray() {
    return anchors.clone();
  }

  /** Layer-wide number of samples merged. */
  public long count() {
    return count;
  }

  public double mean(int neuron) {
    return mean[neuron];
  }

  public double m2(int neuron) {
    return m2[neuron];
  }

  public double comoment(int neuron, int anchor) {
    return comoment[anchor][neuron];
  }

  /**
   * Pearson correlation {@code C_ia / sqrt(M2_i · M2_a)} of neuron {@code neuron} with anchor
   * number {@code anchor}, clamped to {@code [−1, 1]}. A neuron or anchor that never varied has
   * correlation 0 with everything: it carries no co-activation signal. "Never varied" means a
   * standard deviation below {@code 1e-10·(1 + |mean|)}, the rounding noise a constant leaves.
   */
  public double correlation(int neuron, int anchor) {
    int a = anchors[anchor];
    if (!varies(neuron) || !varies(a)) {
      return 0;
    }
    double denominator = m2[neuron] * m2[a];
    double r = comoment[anchor][neuron] / Math.sqrt(denominator);
    return Math.max(-1, Math.min(1, r));
  }

  private boolean varies(int neuron) {
    double scale = 1e-10 * (1 + Math.abs(mean[neuron]));
    return m2[neuron] > count * scale * scale;
  }

  /** Puts {@link #meanArray()} into {@code dst} without the intermediate copy. */
  public void putMean(DoubleBuffer dst) {
    dst.put(mean);
  }

  /** Puts {@link #m2Array()} into {@code dst} without the intermediate copy. */
  public void putM2(DoubleBuffer dst) {
    dst.put(m2);
  }

  /**
   * Puts {@link #comomentArray()} (row-major {@code [neurons, k]}) into {@code dst} without the
   * intermediate array, one neuron's row at a time.
   */
  public void putComoment(DoubleBuffer dst) {
    int k = anchors.length;
    double[] row = new double[k];
    for (int i = 0; i < neurons; i++) {
      for (int a = 0; a < k; a++) {
        row[a] = comoment[a][i];
      }
      dst.put(row);
    }
  }

  public double[] meanArray() {
    return mean.clone();
  }

  public double[] m2Array() {
    return m2.clone();
  }

  /** A copy of the co-moments, row-major {@code [neurons, k]}. */
  public double[] comomentArray() {
    int k = anchors.length;
    double[] rowMajor = new double[neurons * k];
    for (int a = 0; a < k; a++) {
      for (int i = 0; i < neurons; i++) {
        rowMajor[i * k + a] = comoment[a][i];
      }
    }
    return rowMajor;
  }

  /** Row-major {@code [neurons, k]} co-moments regrouped into one new array per anchor. */
  private static double[][] byAnchor(double[] rowMajor, int neurons, int k) {
    double[][] co = new double[k][neurons];
    for (int i = 0; i < neurons; i++) {
      for (int a = 0; a < k; a++) {
        co[a][i] = rowMajor[i * k + a];
      }
    }
    return co;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoActivation c
        && count == c.count
        && Arrays.equals(anchors, c.anchors)
        && Arrays.equals(mean, c.mean)
        && Arrays.equals(m2, c.m2)
        && Arrays.deepEquals(comoment, c.comoment);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Arrays.deepHashCode(comoment);
  }

  @Override
  public String toString() {
    return "CoActivation[neurons="
        + neurons
        + ", anchors="
        + anchors.length
        + ", count="
        + count
        + "]";
  }
}
