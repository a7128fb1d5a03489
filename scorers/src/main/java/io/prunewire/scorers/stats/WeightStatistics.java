package io.prunewire.scorers.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A snapshot of per-neuron weight statistics at one training step (the latest snapshot wins; it is
 * not merged). Neuron {@code i}'s incoming weights {@code w} are column {@code i} of the layer's
 * incoming matrix {@code [fanIn, n]} (for recurrent layers the input and recurrent matrices
 * stacked); its outgoing weights are its rows in every consumer, concatenated ({@code fanOut}).
 * Arrays are owned by the record and must not be modified.
 *
 * @param fanIn incoming weights per neuron
 * @param fanOut outgoing weights per neuron
 * @param l2 {@code mean(w²)} over the incoming weights
 * @param l1 {@code mean(|w|)}
 * @param variance {@code mean((w − mean(w))²)}
 * @param nonZeroRatio fraction of incoming weights with {@code |w| > 1e-12}
 * @param entropy {@code −Σ p_j ln p_j} with {@code p_j = |w_j| / Σ|w|}, in nats (0 if all zero)
 * @param effectiveRankDrop {@code erank(W) − erank(W without the neuron's column)}, where {@code
 *     erank = exp(spectral entropy of the singular values)} (Roy &amp; Vetterli 2007);
 *     dimensionless, may be negative
 * @param outgoing {@code mean(|w_out|)} over the outgoing weights
 */
public record WeightStatistics(
    int fanIn,
    int fanOut,
    double[] l2,
    double[] l1,
    double[] variance,
    double[] nonZeroRatio,
    double[] entropy,
    double[] effectiveRankDrop,
    double[] outgoing) {
  private static final String OWNER = "WeightStatistics";

  /** Weights at or below this magnitude count as zero (pruned weights re-zeroed in float32). */
  public static final double ZERO_THRESHOLD = 1e-12;

  /**
   * A total order on snapshots (fan-in, fan-out, then the arrays lexicographically), used to pick
   * one of several snapshots of the same step independently of their arrival order.
   */
  public static final Comparator<WeightStatistics> ORDER =
      Comparator.comparingInt(WeightStatistics::fanIn)
          .thenComparingInt(WeightStatistics::fanOut)
          .thenComparing(WeightStatistics::l2, Arrays::compare)
          .thenComparing(WeightStatistics::l1, Arrays::compare)
          .thenComparing(WeightStatistics::variance, Arrays::compare)
          .thenComparing(WeightStatistics::nonZeroRatio, Arrays::compare)
          .thenComparing(WeightStatistics::entropy, Arrays::compare)
          .thenComparing(WeightStatistics::effectiveRankDrop, Arrays::compare)
          .thenComparing(WeightStatistics::outgoing, Arrays::compare);

  public WeightStatistics {
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(
          OWNER + ": fanIn and fanOut must be positive, got " + fanIn + " and " + fanOut);
    }
    ArgumentChecks.notNull(OWNER, "l2", l2);
    int n = ArgumentChecks.neurons(OWNER, l2.length);
    ArgumentChecks.finite(OWNER, "l2", l2, n);
    ArgumentChecks.finite(OWNER, "l1", l1, n);
    ArgumentChecks.finite(OWNER, "variance", variance, n);
    ArgumentChecks.finite(OWNER, "nonZeroRatio", nonZeroRatio, n);
    ArgumentChecks.finite(OWNER, "entropy", entropy, n);
    ArgumentChecks.finite(OWNER, "effectiveRankDrop", effectiveRankDrop, n);
    ArgumentChecks.finite(OWNER, "outgoing", outgoing, n);
    ArgumentChecks.nonNegative(OWNER, "l2", l2);
    ArgumentChecks.nonNegative(OWNER, "l1", l1);
    ArgumentChecks.nonNegative(OWNER, "variance", variance);
    ArgumentChecks.nonNegative(OWNER, "nonZeroRatio", nonZeroRatio);
    ArgumentChecks.nonNegative(OWNER, "entropy", entropy);
    ArgumentChecks.nonNegative(OWNER, "outgoing", outgoing);
    for (int i = 0; i < n; i++) {
      if (nonZeroRatio[i] > 1) {
        throw new IllegalArgumentException(
            OWNER + ".nonZeroRatio[" + i + "] = " + nonZeroRatio[i] + " exceeds 1");
      }
    }
  }

  /**
   * Computes the statistics of a layer from its weights. The effective-rank drops come from one
   * symmetric eigen-decomposition of the smaller Gram matrix ({@code m = min(fanIn, n)}) and an
   * exact rank-one downdate per neuron (secular equation), {@code O(fanIn·n·m + m³ + n·m²)}: well
   * under a second for a few hundred neurons, tens of seconds for {@code m ≈ 1300}; call it where
   * weight snapshots are taken, not per event.
   *
   * @param incoming row-major {@code [fanIn, n]}: DL4J's {@code W} ({@code [nIn, nOut]}), with the
   *     recurrent matrix's rows appended for recurrent layers
   * @param outgoing row-major {@code [n, fanOut]}: the neuron's rows in every consumer's input
   *     weights, concatenated
   * @throws IllegalArgumentException on non-positive sizes, wrong lengths or non-finite weights
   */
  public static WeightStatistics of(
      float[] incoming, int fanIn, int n, float[] outgoing, int fanOut) {
    ArgumentChecks.neurons(OWNER, n);
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(
          OWNER + ": fanIn and fanOut must be positive, got " + fanIn + " and " + fanOut);
    }
    ArgumentChecks.notNull(OWNER, "incoming", incoming);
    ArgumentChecks.notNull(OWNER, "outgoing", outgoing);
    ArgumentChecks.length(OWNER, "incoming", incoming.length, Math.multiplyExact(fanIn, n));
    ArgumentChecks.length(OWNER, "outgoing", outgoing.length, Math.multiplyExact(n, fanOut));
    double[] in = new double[incoming.length];
    for (int j = 0; j < fanIn; j++) {
      for (int i = 0; i < n; i++) {
        float w = incoming[j * n + i];
        if (!Float.isFinite(w)) {
          throw new IllegalArgumentException(
              OWNER + ": incoming[" + j + ", " + i + "] is not finite: " + w);
        }
        in[j * n + i] = w;
      }
    }
    double[] sum = new double[n];
    double[] sumSquares = new double[n];
    double[] sumAbs = new double[n];
    double[] sumAbsLogAbs = new double[n];
    double[] nonZero = new double[n];
    for (int j = 0; j < fanIn; j++) {
      int o = j * n;
      for (int i = 0; i < n; i++) {
        double w = in[o + i];
        double abs = Math.abs(w);
        sum[i] += w;
        sumSquares[i] += w * w;
        sumAbs[i] += abs;
        if (abs > 0) {
          sumAbsLogAbs[i] += abs * Math.log(abs);
        }
        if (abs > ZERO_THRESHOLD) {
          nonZero[i]++;
        }
      }
    }
    double[] deviations = new double[n];
    for (int j = 0; j < fanIn; j++) {
      int o = j * n;
      for (int i = 0; i < n; i++) {
        double d = in[o + i] - sum[i] / fanIn;
        deviations[i] += d * d;
      }
    }
    double[] l2 = new double[n];
    double[] l1 = new double[n];
    double[] variance = new double[n];
    double[] nonZeroRatio = new double[n];
    double[] entropy = new double[n];
    for (int i = 0; i < n; i++) {
      l2[i] = sumSquares[i] / fanIn;
      l1[i] = sumAbs[i] / fanIn;
      variance[i] = deviations[i] / fanIn;
      nonZeroRatio[i] = nonZero[i] / fanIn;
      // −Σ (|w|/S) ln(|w|/S) = ln S − Σ |w| ln|w| / S; rounding can dip a hair below 0
      entropy[i] =
          sumAbs[i] == 0 ? 0 : Math.max(0, Math.log(sumAbs[i]) - sumAbsLogAbs[i] / sumAbs[i]);
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int c = 0; c < fanOut; c++) {
        float w = outgoing[i * fanOut + c];
        if (!Float.isFinite(w)) {
          throw new IllegalArgumentException(
              OWNER + ": outgoing[" + i + ", " + c + "] is not finite: " + w);
        }
        s += Math.abs(w);
      }
      out[i] = s / fanOut;
    }
    return new WeightStatistics(
        fanIn,
        fanOut,
        l2,
        l1,
        variance,
        nonZeroRatio,
        entropy,
        EffectiveRank.drops(in, fanIn, n),
        out);
  }

  public int neurons() {
    return l2.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightStatistics w
        && fanIn == w.fanIn
        && fanOut == w.fanOut
        && Arrays.equals(l2, w.l2)
        && Arrays.equals(l1, w.l1)
        && Arrays.equals(variance, w.variance)
        && Arrays.equals(nonZeroRatio, w.nonZeroRatio)
        && Arrays.equals(entropy, w.entropy)
        && Arrays.equals(effectiveRankDrop, w.effectiveRankDrop)
        && Arrays.equals(outgoing, w.outgoing);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(l2) * 31 + Arrays.hashCode(outgoing);
  }

  @Override
  public String toString() {
    return "WeightStatistics[neurons="
        + l2.length
        + ", fanIn="
        + fanIn
        + ", fanOut="
        + fanOut
        + "]";
  }
}
