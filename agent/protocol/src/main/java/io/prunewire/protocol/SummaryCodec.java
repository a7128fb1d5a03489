package io.prunewire.protocol;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CoActivation;
import io.prunewire.scorers.stats.Counts;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.Histogram;
import io.prunewire.scorers.stats.Moments;
import io.prunewire.scorers.stats.SignCounts;
import io.prunewire.scorers.stats.WeightStatistics;

/**
 * Wire blocks of the per-neuron summaries (PROTOCOL.md, "Summary blocks"). The neuron count {@code
 * n} is written once per event, before the blocks; arrays carry no length of their own. Per-neuron
 * floats go as float32, scalar counts as int64, per-neuron count arrays as unsigned LEB128 varints
 * (most counts are small; fixed int64 made the histogram 80% of an event).
 */
final class SummaryCodec {
  private SummaryCodec() {}

  static void write(WireWriter w, Moments m) {
    w.i64(m.count());
    w.f32s(m.meanArray());
    w.f32s(m.m2Array());
    w.f32s(m.minArray());
    w.f32s(m.maxArray());
  }

  static Moments readMoments(WireReader r, String field, int n) {
    long count = r.count(field + ".count");
    double[] mean = r.f32sAsDoubles(field + ".mean", n);
    double[] m2 = r.f32sAsDoubles(field + ".m2", n);
    double[] min = r.f32sAsDoubles(field + ".min", n);
    double[] max = r.f32sAsDoubles(field + ".max", n);
    return WireChecks.consistent(field, () -> Moments.ofOwned(count, mean, m2, min, max));
  }

  static void write(WireWriter w, Counts c) {
    w.i64(c.total());
    w.varuints(c.countArray());
  }

  static Counts readCounts(WireReader r, String field, int n) {
    long total = r.count(field + ".total");
    long[] counts = r.counts(field + ".counts", n);
    return WireChecks.consistent(field, () -> Counts.ofOwned(total, counts));
  }

  static void write(WireWriter w, SignCounts s) {
    w.i64(s.windows());
    w.varuints(s.positiveArray());
    w.varuints(s.negativeArray());
  }

  static SignCounts readSignCounts(WireReader r, String field, int n) {
    long windows = r.count(field + ".windows");
    long[] positive = r.counts(field + ".positive", n);
    long[] negative = r.counts(field + ".negative", n);
    return WireChecks.consistent(field, () -> SignCounts.ofOwned(windows, positive, negative));
  }

  /** Bin edges go as float64: they define bin identity, and merging needs them bit-exact. */
  static void write(WireWriter w, Histogram h) {
    w.f64(h.lo());
    w.f64(h.hi());
    w.i32(h.bins());
    w.i64(h.total());
    w.varuints(h.countArray());
  }

  static Histogram readHistogram(WireReader r, String field, int n) {
    double lo = r.f64(field + ".lo");
    double hi = r.f64(field + ".hi");
    int bins = r.size(field + ".bins");
    long total = r.count(field + ".total");
    long cells = (long) n * bins;
    if (cells > Integer.MAX_VALUE) {
      throw new InvalidEventException(
          RejectReason.MALFORMED, field + ": " + n + " neurons x " + bins + " bins is too large");
    }
    long[] counts = r.counts(field + ".counts", (int) cells);
    return WireChecks.consistent(field, () -> Histogram.ofOwned(n, lo, hi, bins, total, counts));
  }

  static void write(WireWriter w, CoActivation c) {
    w.i64(c.count());
    int[] anchors = c.anchorArray();
    w.i32(anchors.length);
    w.i32s(anchors);
    w.f32s(c.meanArray());
    w.f32s(c.m2Array());
    w.f32s(c.comomentArray());
  }

  static CoActivation readCoActivation(WireReader r, String field, int n) {
    long count = r.count(field + ".count");
    int k = r.length(field + ".anchors", 4);
    int[] anchors = r.i32s(field + ".anchors", k);
    double[] mean = r.f32sAsDoubles(field + ".mean", n);
    double[] m2 = r.f32sAsDoubles(field + ".m2", n);
    long cells = (long) n * k;
    if (cells > Integer.MAX_VALUE) {
      throw new InvalidEventException(
          RejectReason.MALFORMED, field + ": " + n + " neurons x " + k + " anchors is too large");
    }
    if (k < 1 || k > n) {
      // Inconsistent (CoActivation needs 1..n anchors): rejected as before, after the values.
      double[] comoment = r.f32sAsDoubles(field + ".comoment", (int) cells);
      return WireChecks.consistent(
          field, () -> CoActivation.of(count, anchors, mean, m2, comoment));
    }
    // Row-major on the wire, grouped by anchor in memory: regrouped as it is read.
    double[][] byAnchor = r.f32sAsDoubleColumns(field + ".comoment", n, k);
    return WireChecks.consistent(
        field, () -> CoActivation.ofOwned(count, anchors, mean, m2, byAnchor));
  }

  static void write(WireWriter w, ActivationSummary s) {
    w.i32(s.neurons());
    write(w, s.value());
    write(w, s.magnitude());
    write(w, s.nonZero());
    write(w, s.histogram());
    write(w, s.coActivation());
  }

  static ActivationSummary readActivation(WireReader r, String field) {
    int n = r.size(field + ".neurons");
    Moments value = readMoments(r, field + ".value", n);
    Moments magnitude = readMoments(r, field + ".magnitude", n);
    Counts nonZero = readCounts(r, field + ".nonZero", n);
    Histogram histogram = readHistogram(r, field + ".histogram", n);
    CoActivation co = readCoActivation(r, field + ".coActivation", n);
    return WireChecks.consistent(
        field, () -> new ActivationSummary(value, magnitude, nonZero, histogram, co));
  }

  static void write(WireWriter w, GradientSummary s) {
    w.i32(s.neurons());
    write(w, s.gradient());
    write(w, s.magnitude());
    write(w, s.sign());
    write(w, s.gate());
  }

  static GradientSummary readGradient(WireReader r, String field) {
    int n = r.size(field + ".neurons");
    Moments gradient = readMoments(r, field + ".gradient", n);
    Moments magnitude = readMoments(r, field + ".magnitude", n);
    SignCounts sign = readSignCounts(r, field + ".sign", n);
    Moments gate = readMoments(r, field + ".gate", n);
    return WireChecks.consistent(field, () -> new GradientSummary(gradient, magnitude, sign, gate));
  }

  static void write(WireWriter w, CurvatureSummary s) {
    w.i32(s.neurons());
    write(w, s.vHv());
  }

  static CurvatureSummary readCurvature(WireReader r, String field) {
    int n = r.size(field + ".neurons");
    return new CurvatureSummary(readMoments(r, field + ".vHv", n));
  }

  static void write(WireWriter w, WeightStatistics s) {
    w.i32(s.neurons());
    w.i32(s.fanIn());
    w.i32(s.fanOut());
    w.f32s(s.l2());
    w.f32s(s.l1());
    w.f32s(s.variance());
    w.f32s(s.nonZeroRatio());
    w.f32s(s.entropy());
    w.f32s(s.effectiveRankDrop());
    w.f32s(s.outgoing());
  }

  static WeightStatistics readWeights(WireReader r, String field) {
    int n = r.size(field + ".neurons");
    int fanIn = r.size(field + ".fanIn");
    int fanOut = r.size(field + ".fanOut");
    double[] l2 = r.f32sAsDoubles(field + ".l2", n);
    double[] l1 = r.f32sAsDoubles(field + ".l1", n);
    double[] variance = r.f32sAsDoubles(field + ".variance", n);
    double[] nonZeroRatio = r.f32sAsDoubles(field + ".nonZeroRatio", n);
    double[] entropy = r.f32sAsDoubles(field + ".entropy", n);
    double[] effectiveRankDrop = r.f32sAsDoubles(field + ".effectiveRankDrop", n);
    double[] outgoing = r.f32sAsDoubles(field + ".outgoing", n);
    return WireChecks.consistent(
        field,
        () ->
            new WeightStatistics(
                fanIn,
                fanOut,
                l2,
                l1,
                variance,
                nonZeroRatio,
                entropy,
                effectiveRankDrop,
                outgoing));
  }
}
