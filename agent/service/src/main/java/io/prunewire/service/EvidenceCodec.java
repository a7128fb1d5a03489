package io.prunewire.service;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CoActivation;
import io.prunewire.scorers.stats.Counts;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.Histogram;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.scorers.stats.Moments;
import io.prunewire.scorers.stats.SignCounts;
import io.prunewire.scorers.stats.WeightStatistics;

/**
 * Binary encoding of one layer's {@link LayerEvidence} for the evidence store: a format byte, the
 * layer, a presence bit per part, then each part's raw accumulators as bulk little-endian double
 * and long arrays. A 1,300-neuron layer with every part is about 1,300 × (40 doubles + 32
 * co-activation anchors + 20 histogram bins) × 8 bytes ≈ 1 MB; no per-element objects or text.
 */
final class EvidenceCodec {

  private static final int FORMAT = 1;
  private static final int HAS_ACTIVATION = 1;
  private static final int HAS_GRADIENT = 2;
  private static final int HAS_CURVATURE = 4;
  private static final int HAS_WEIGHTS = 8;

  private EvidenceCodec() {}

  static byte[] encode(LayerEvidence e) {
    StateWriter w = new StateWriter(64 * e.neurons() * 8);
    int flags = (e.activation().isPresent() ? HAS_ACTIVATION : 0)
        | (e.gradient().isPresent() ? HAS_GRADIENT : 0)
        | (e.curvature().isPresent() ? HAS_CURVATURE : 0)
        | (e.weights().isPresent() ? HAS_WEIGHTS : 0);
    w.writeByte(FORMAT).writeString(e.layer()).writeInt(e.neurons()).writeByte(flags);
    e.activation().ifPresent(a -> {
      moments(w, a.value());
      moments(w, a.magnitude());
      w.writeLong(a.nonZero().total()).writeLongs(a.nonZero().countArray());
      Histogram h = a.histogram();
      w.writeDouble(h.lo()).writeDouble(h.hi()).writeInt(h.bins()).writeLong(h.total())
          .writeLongs(h.countArray());
      CoActivation c = a.coActivation();
      int[] anchors = c.anchorArray();
      w.writeLong(c.count()).writeInt(anchors.length);
      for (int anchor : anchors) {
        w.writeInt(anchor);
      }
      w.writeDoubles(c.meanArray()).writeDoubles(c.m2Array()).writeDoubles(c.comomentArray());
    });
    e.gradient().ifPresent(g -> {
      moments(w, g.gradient());
      moments(w, g.magnitude());
      SignCounts s = g.sign();
      w.writeLong(s.windows()).writeLongs(s.positiveArray()).writeLongs(s.negativeArray());
      moments(w, g.gate());
    });
    e.curvature().ifPresent(c -> moments(w, c.vHv()));
    e.weights().ifPresent(s -> {
      w.writeLong(e.weightsStep()).writeInt(s.fanIn()).writeInt(s.fanOut())
          .writeDoubles(s.l2()).writeDoubles(s.l1()).writeDoubles(s.variance())
          .writeDoubles(s.nonZeroRatio()).writeDoubles(s.entropy())
          .writeDoubles(s.effectiveRankDrop()).writeDoubles(s.outgoing());
    });
    return w.toByteArray();
  }

  static LayerEvidence decode(byte[] bytes) {
    StateReader r = new StateReader(bytes, "evidence store");
    int format = r.readByte();
    if (format != FORMAT) {
      throw new IllegalStateException("evidence store: unknown state format " + format);
    }
    String layer = r.readString();
    int neurons = r.readInt();
    int flags = r.readByte();
    ActivationSummary activation = null;
    GradientSummary gradient = null;
    CurvatureSummary curvature = null;
    WeightStatistics weights = null;
    long weightsStep = -1;
    if ((flags & HAS_ACTIVATION) != 0) {
      Moments value = moments(r);
      Moments magnitude = moments(r);
      Counts nonZero = Counts.of(r.readLong(), r.readLongs());
      Histogram histogram = Histogram.of(neurons, r.readDouble(), r.readDouble(), r.readInt(),
          r.readLong(), r.readLongs());
      long count = r.readLong();
      int[] anchors = new int[r.readInt()];
      for (int i = 0; i < anchors.length; i++) {
        anchors[i] = r.readInt();
      }
      CoActivation co =
          CoActivation.of(count, anchors, r.readDoubles(), r.readDoubles(), r.readDoubles());
      activation = new ActivationSummary(value, magnitude, nonZero, histogram, co);
    }
    if ((flags & HAS_GRADIENT) != 0) {
      Moments g = moments(r);
      Moments magnitude = moments(r);
      SignCounts sign = SignCounts.of(r.readLong(), r.readLongs(), r.readLongs());
      gradient = new GradientSummary(g, magnitude, sign, moments(r));
    }
    if ((flags & HAS_CURVATURE) != 0) {
      curvature = new CurvatureSummary(moments(r));
    }
    if ((flags & HAS_WEIGHTS) != 0) {
      weightsStep = r.readLong();
      weights = new WeightStatistics(r.readInt(), r.readInt(), r.readDoubles(), r.readDoubles(),
          r.readDoubles(), r.readDoubles(), r.readDoubles(), r.readDoubles(), r.readDoubles());
    }
    r.end();
    return LayerEvidence.of(layer, neurons, activation, gradient, curvature, weights, weightsStep);
  }

  private static void moments(StateWriter w, Moments m) {
    w.writeLong(m.count()).writeDoubles(m.meanArray()).writeDoubles(m.m2Array())
        .writeDoubles(m.minArray()).writeDoubles(m.maxArray());
  }

  private static Moments moments(StateReader r) {
    return Moments.of(r.readLong(), r.readDoubles(), r.readDoubles(), r.readDoubles(),
        r.readDoubles());
  }
}
