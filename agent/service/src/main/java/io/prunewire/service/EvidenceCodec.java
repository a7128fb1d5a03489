package io.prunewire.service;

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
 * Binary encoding of the parts of a layer's evidence for the evidence store, one part per summary
 * kind so that an event re-encodes only the part it changed: a format byte, the neuron count, then
 * the part's raw accumulators as bulk little-endian double and long arrays. For 1,300 neurons the
 * activation part (moments, counts, a 20-bin histogram, co-activation with 32 anchors) is about 655
 * KB, the gradient part 125 KB, curvature 42 KB, weight statistics 73 KB; no per-element objects or
 * text. Encoders return the part's store values ({@link PartValues}: one unless the part is larger
 * than {@link PartValues#MAX_VALUE_BYTES}); decoders read the joined encoding.
 */
final class EvidenceCodec {

  private static final int FORMAT = 1;

  private EvidenceCodec() {}

  /** A weight-statistics snapshot with the step it was taken at. */
  record WeightSnapshot(long step, WeightStatistics statistics) {}

  static byte[][] activation(ActivationSummary a) {
    int n = a.neurons();
    Histogram h = a.histogram();
    CoActivation c = a.coActivation();
    int k = c.anchorCount();
    long size =
        HEADER
            + 2 * momentsBytes(n)
            + 8
            + arrayBytes(n)
            + 8
            + 8
            + 4
            + 8
            + arrayBytes((long) n * h.bins())
            + 8
            + 4
            + 4L * k
            + 2 * arrayBytes(n)
            + arrayBytes((long) n * k);
    StateWriter w = header(n, size);
    moments(w, a.value());
    moments(w, a.magnitude());
    w.writeLong(a.nonZero().total()).writeLongs(n, a.nonZero()::putCounts);
    w.writeDouble(h.lo())
        .writeDouble(h.hi())
        .writeInt(h.bins())
        .writeLong(h.total())
        .writeLongs(n * h.bins(), h::putCounts);
    w.writeLong(c.count()).writeInt(k);
    for (int i = 0; i < k; i++) {
      w.writeInt(c.anchor(i));
    }
    w.writeDoubles(n, c::putMean).writeDoubles(n, c::putM2).writeDoubles(n * k, c::putComoment);
    return PartValues.of(w);
  }

  static ActivationSummary activation(byte[] bytes) {
    StateReader r = reader(bytes, "activation");
    int neurons = r.readInt();
    Moments value = moments(r);
    Moments magnitude = moments(r);
    Counts nonZero = Counts.of(r.readLong(), r.readLongs());
    Histogram histogram =
        Histogram.of(
            neurons, r.readDouble(), r.readDouble(), r.readInt(), r.readLong(), r.readLongs());
    long count = r.readLong();
    int[] anchors = new int[r.readInt()];
    for (int i = 0; i < anchors.length; i++) {
      anchors[i] = r.readInt();
    }
    CoActivation co =
        CoActivation.of(count, anchors, r.readDoubles(), r.readDoubles(), r.readDoubles());
    r.end();
    return new ActivationSummary(value, magnitude, nonZero, histogram, co);
  }

  static byte[][] gradient(GradientSummary g) {
    int n = g.neurons();
    StateWriter w = header(n, HEADER + 3 * momentsBytes(n) + 8 + 2 * arrayBytes(n));
    moments(w, g.gradient());
    moments(w, g.magnitude());
    SignCounts s = g.sign();
    w.writeLong(s.windows()).writeLongs(n, s::putPositive).writeLongs(n, s::putNegative);
    moments(w, g.gate());
    return PartValues.of(w);
  }

  static GradientSummary gradient(byte[] bytes) {
    StateReader r = reader(bytes, "gradient");
    r.readInt();
    Moments g = moments(r);
    Moments magnitude = moments(r);
    SignCounts sign = SignCounts.of(r.readLong(), r.readLongs(), r.readLongs());
    GradientSummary summary = new GradientSummary(g, magnitude, sign, moments(r));
    r.end();
    return summary;
  }

  static byte[][] curvature(CurvatureSummary c) {
    StateWriter w = header(c.neurons(), HEADER + momentsBytes(c.neurons()));
    moments(w, c.vHv());
    return PartValues.of(w);
  }

  static CurvatureSummary curvature(byte[] bytes) {
    StateReader r = reader(bytes, "curvature");
    r.readInt();
    CurvatureSummary c = new CurvatureSummary(moments(r));
    r.end();
    return c;
  }

  static byte[][] weights(long step, WeightStatistics s) {
    StateWriter w = header(s.neurons(), HEADER + 8 + 4 + 4 + 7 * arrayBytes(s.neurons()));
    w.writeLong(step)
        .writeInt(s.fanIn())
        .writeInt(s.fanOut())
        .writeDoubles(s.l2())
        .writeDoubles(s.l1())
        .writeDoubles(s.variance())
        .writeDoubles(s.nonZeroRatio())
        .writeDoubles(s.entropy())
        .writeDoubles(s.effectiveRankDrop())
        .writeDoubles(s.outgoing());
    return PartValues.of(w);
  }

  static WeightSnapshot weights(byte[] bytes) {
    StateReader r = reader(bytes, "weights");
    r.readInt();
    long step = r.readLong();
    WeightStatistics s =
        new WeightStatistics(
            r.readInt(),
            r.readInt(),
            r.readDoubles(),
            r.readDoubles(),
            r.readDoubles(),
            r.readDoubles(),
            r.readDoubles(),
            r.readDoubles(),
            r.readDoubles());
    r.end();
    return new WeightSnapshot(step, s);
  }

  /**
   * A writer for a part of {@code size} bytes: one of exactly that size, whose array then becomes
   * the value without a copy (see {@link StateWriter#StateWriter(int)}), if the part fits one
   * value; else this thread's reused writer, which {@link PartValues#of} slices. A part too large
   * for one array fails as it would when written.
   */
  private static StateWriter header(int neurons, long size) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "evidence part of " + neurons + " neurons would take " + size + " bytes");
    }
    StateWriter w =
        size <= PartValues.MAX_VALUE_BYTES
            ? new StateWriter((int) size)
            : StateWriter.reused((int) size);
    return w.writeByte(FORMAT).writeInt(neurons);
  }

  /** The format byte and the neuron count. */
  private static final int HEADER = 1 + 4;

  /** An array as {@link StateWriter} writes it: its length, then 8 bytes per element. */
  private static long arrayBytes(long elements) {
    return 4 + 8 * elements;
  }

  /** What {@link #moments(StateWriter, Moments)} writes. */
  private static long momentsBytes(int n) {
    return 8 + 4 * arrayBytes(n);
  }

  private static StateReader reader(byte[] bytes, String part) {
    StateReader r = new StateReader(bytes, "evidence store (" + part + ")");
    int format = r.readByte();
    if (format != FORMAT) {
      throw new IllegalStateException("evidence store (" + part + "): unknown format " + format);
    }
    return r;
  }

  private static void moments(StateWriter w, Moments m) {
    int n = m.neurons();
    w.writeLong(m.count())
        .writeDoubles(n, m::putMean)
        .writeDoubles(n, m::putM2)
        .writeDoubles(n, m::putMin)
        .writeDoubles(n, m::putMax);
  }

  private static Moments moments(StateReader r) {
    return Moments.of(
        r.readLong(), r.readDoubles(), r.readDoubles(), r.readDoubles(), r.readDoubles());
  }
}
