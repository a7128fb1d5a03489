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
 * Binary encoding of the parts of a layer's evidence for the evidence store, one value per part so
 * that an event re-encodes only the part it changed: a format byte, the neuron count, then the
 * part's raw accumulators as bulk little-endian double and long arrays. For 1,300 neurons the
 * activation part (moments, counts, a 20-bin histogram, co-activation with 32 anchors) is about 600
 * KB, the gradient part 125 KB, curvature 42 KB, weight statistics 73 KB; no per-element objects or
 * text.
 */
final class EvidenceCodec {

  private static final int FORMAT = 1;

  private EvidenceCodec() {}

  /** A weight-statistics snapshot with the step it was taken at. */
  record WeightSnapshot(long step, WeightStatistics statistics) {}

  static byte[] activation(ActivationSummary a) {
    StateWriter w = header(a.neurons(), 8 * a.neurons() * 64);
    moments(w, a.value());
    moments(w, a.magnitude());
    w.writeLong(a.nonZero().total()).writeLongs(a.nonZero().countArray());
    Histogram h = a.histogram();
    w.writeDouble(h.lo())
        .writeDouble(h.hi())
        .writeInt(h.bins())
        .writeLong(h.total())
        .writeLongs(h.countArray());
    CoActivation c = a.coActivation();
    int[] anchors = c.anchorArray();
    w.writeLong(c.count()).writeInt(anchors.length);
    for (int anchor : anchors) {
      w.writeInt(anchor);
    }
    w.writeDoubles(c.meanArray()).writeDoubles(c.m2Array()).writeDoubles(c.comomentArray());
    return w.toByteArray();
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

  static byte[] gradient(GradientSummary g) {
    StateWriter w = header(g.neurons(), 8 * g.neurons() * 16);
    moments(w, g.gradient());
    moments(w, g.magnitude());
    SignCounts s = g.sign();
    w.writeLong(s.windows()).writeLongs(s.positiveArray()).writeLongs(s.negativeArray());
    moments(w, g.gate());
    return w.toByteArray();
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

  static byte[] curvature(CurvatureSummary c) {
    StateWriter w = header(c.neurons(), 8 * c.neurons() * 5);
    moments(w, c.vHv());
    return w.toByteArray();
  }

  static CurvatureSummary curvature(byte[] bytes) {
    StateReader r = reader(bytes, "curvature");
    r.readInt();
    CurvatureSummary c = new CurvatureSummary(moments(r));
    r.end();
    return c;
  }

  static byte[] weights(long step, WeightStatistics s) {
    StateWriter w = header(s.neurons(), 8 * s.neurons() * 8);
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
    return w.toByteArray();
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

  private static StateWriter header(int neurons, int capacity) {
    return StateWriter.scratch(capacity).writeByte(FORMAT).writeInt(neurons);
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
    w.writeLong(m.count())
        .writeDoubles(m.meanArray())
        .writeDoubles(m.m2Array())
        .writeDoubles(m.minArray())
        .writeDoubles(m.maxArray());
  }

  private static Moments moments(StateReader r) {
    return Moments.of(
        r.readLong(), r.readDoubles(), r.readDoubles(), r.readDoubles(), r.readDoubles());
  }
}
