package io.prunewire.evaluation.bench.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.prunewire.proto.Ablation;
import io.prunewire.proto.CoActivation;
import io.prunewire.proto.Counts;
import io.prunewire.proto.Decision;
import io.prunewire.proto.Histogram;
import io.prunewire.proto.Moments;
import io.prunewire.proto.Record;
import io.prunewire.proto.Removal;
import io.prunewire.proto.SignCounts;
import io.prunewire.proto.WeightStatistics;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RejectReason;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.protocol.WireChecks;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads protobuf {@link Record}s into the same validated events {@code EventCodec.decode} returns,
 * the way the agent would have to if the wire were protobuf: generated code parses, then every
 * check PROTOCOL.md's "Validation" asks for that protobuf cannot express is written by hand — each
 * array as long as the summary's neuron count, finite floats, counts that fit a signed 64-bit
 * value, the keep mask's length and padding — and the domain constructors make the rest (counts
 * within totals, min ≤ max, distinct indices, ...), as they do for the hand-written decoder.
 *
 * <p>What it cannot do as the hand-written reader does: reject before parsing the whole record
 * (protobuf materialises every field first), refuse non-canonical varints, trailing or unknown
 * fields (protobuf skips unknown fields by design: that is its evolution rule), or a fusion weight
 * sent twice (a map keeps the last).
 */
public final class ProtobufDecoder {

  private ProtobufDecoder() {}

  /** Parses and validates one record value. */
  public static Event decode(byte[] bytes) {
    Record record;
    try {
      record = Record.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException(RejectReason.MALFORMED, "protobuf: " + e.getMessage());
    }
    return event(record);
  }

  /** The validated event of a parsed record. */
  public static Event event(Record r) {
    if (!r.hasHeader()) {
      throw new InvalidEventException(RejectReason.MALFORMED, "Record.header: missing");
    }
    io.prunewire.proto.Header ph = r.getHeader();
    Header h = new Header(ph.getRunId(), ph.getTrainerId(), ph.getStep(), ph.getTimestampMillis());
    return switch (r.getEventCase()) {
      case RUN_STARTED -> runStarted(h, r.getRunStarted());
      case ACTIVATION_SUMMARY -> activation(h, r.getActivationSummary());
      case GRADIENT_SUMMARY -> gradient(h, r.getGradientSummary());
      case CURVATURE ->
          new CurvatureEvent(
              h,
              r.getCurvature().getLayer(),
              r.getCurvature().getWindow(),
              new CurvatureSummary(
                  moments(
                      "Curvature.vHv",
                      r.getCurvature().getVHv(),
                      neurons("Curvature", r.getCurvature().getNeurons()))));
      case WEIGHT_STATISTICS -> weights(h, r.getWeightStatistics());
      case ABLATION -> ablation(h, r.getAblation());
      case CHECKPOINT ->
          new CheckpointEvent(
              h, r.getCheckpoint().getCheckpointId(), r.getCheckpoint().getPlannedRemovals());
      case DECISION -> decision(h, r.getDecision());
      case DECISION_ACK ->
          new DecisionAck(
              h, r.getDecisionAck().getCheckpointId(), r.getDecisionAck().getMaskHash());
      case DECISION_REFUSAL ->
          new DecisionRefusal(
              h,
              r.getDecisionRefusal().getCheckpointId(),
              r.getDecisionRefusal().getReason(),
              r.getDecisionRefusal().getDetail());
      case REMOVAL_CANDIDATES -> candidates(h, r.getRemovalCandidates());
      case REMOVAL_OUTCOME ->
          new RemovalOutcome(
              h,
              r.getRemovalOutcome().getCheckpointId(),
              r.getRemovalOutcome().getRound(),
              r.getRemovalOutcome().getCandidateId(),
              finite("RemovalOutcome.deltaLoss", r.getRemovalOutcome().getDeltaLoss()),
              r.getRemovalOutcome().getProbeBatches());
      // A record of a type this schema does not know (a newer writer) parses with no event set.
      case EVENT_NOT_SET ->
          throw new InvalidEventException(
              RejectReason.UNKNOWN_TYPE,
              "Record.event: none of the types of this schema (unknown fields "
                  + r.getUnknownFields().asMap().keySet()
                  + ")");
    };
  }

  private static RunStarted runStarted(Header h, io.prunewire.proto.RunStarted m) {
    List<LayerSpec> layers = new ArrayList<>(m.getLayersCount());
    for (io.prunewire.proto.LayerSpec l : m.getLayersList()) {
      layers.add(
          new LayerSpec(
              l.getName(),
              LayerKind.ofCode(l.getKindValue()),
              l.getNeurons(),
              l.getFanIn(),
              l.getOwners()));
    }
    return new RunStarted(
        h, m.getFleetSize(), layers, m.getMeasuresCandidates() ? Event.VERSION_2 : Event.VERSION_1);
  }

  private static ActivationSummaryEvent activation(
      Header h, io.prunewire.proto.ActivationSummary m) {
    String f = "ActivationSummary";
    int n = neurons(f, m.getNeurons());
    ActivationSummary s =
        WireChecks.consistent(
            f,
            () ->
                new ActivationSummary(
                    moments(f + ".value", m.getValue(), n),
                    moments(f + ".magnitude", m.getMagnitude(), n),
                    counts(f + ".nonZero", m.getNonZero(), n),
                    histogram(f + ".histogram", m.getHistogram(), n),
                    coActivation(f + ".coActivation", m.getCoActivation(), n)));
    return new ActivationSummaryEvent(h, m.getLayer(), m.getWindow(), s);
  }

  private static GradientSummaryEvent gradient(Header h, io.prunewire.proto.GradientSummary m) {
    String f = "GradientSummary";
    int n = neurons(f, m.getNeurons());
    GradientSummary s =
        WireChecks.consistent(
            f,
            () ->
                new GradientSummary(
                    moments(f + ".gradient", m.getGradient(), n),
                    moments(f + ".magnitude", m.getMagnitude(), n),
                    signCounts(f + ".sign", m.getSign(), n),
                    moments(f + ".gate", m.getGate(), n)));
    return new GradientSummaryEvent(h, m.getLayer(), m.getWindow(), s);
  }

  private static io.prunewire.scorers.stats.Moments moments(String f, Moments m, int n) {
    length(f + ".mean", m.getMeanCount(), n);
    length(f + ".m2", m.getM2Count(), n);
    length(f + ".min", m.getMinCount(), n);
    length(f + ".max", m.getMaxCount(), n);
    double[] mean = new double[n];
    double[] m2 = new double[n];
    double[] min = new double[n];
    double[] max = new double[n];
    for (int i = 0; i < n; i++) {
      mean[i] = finite(f, ".mean", i, m.getMean(i));
      m2[i] = finite(f, ".m2", i, m.getM2(i));
      min[i] = finite(f, ".min", i, m.getMin(i));
      max[i] = finite(f, ".max", i, m.getMax(i));
    }
    long count = count(f + ".count", m.getCount());
    return WireChecks.consistent(
        f, () -> io.prunewire.scorers.stats.Moments.of(count, mean, m2, min, max));
  }

  private static io.prunewire.scorers.stats.Counts counts(String f, Counts m, int n) {
    length(f + ".counts", m.getCountsCount(), n);
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      counts[i] = count(f, ".counts", i, m.getCounts(i));
    }
    long total = count(f + ".total", m.getTotal());
    return WireChecks.consistent(f, () -> io.prunewire.scorers.stats.Counts.of(total, counts));
  }

  private static io.prunewire.scorers.stats.SignCounts signCounts(String f, SignCounts m, int n) {
    length(f + ".positive", m.getPositiveCount(), n);
    length(f + ".negative", m.getNegativeCount(), n);
    long[] positive = new long[n];
    long[] negative = new long[n];
    for (int i = 0; i < n; i++) {
      positive[i] = count(f, ".positive", i, m.getPositive(i));
      negative[i] = count(f, ".negative", i, m.getNegative(i));
    }
    long windows = count(f + ".windows", m.getWindows());
    return WireChecks.consistent(
        f, () -> io.prunewire.scorers.stats.SignCounts.of(windows, positive, negative));
  }

  private static io.prunewire.scorers.stats.Histogram histogram(String f, Histogram m, int n) {
    int bins = neurons(f + ".bins", m.getBins());
    long cells = (long) n * bins;
    length(f + ".counts", m.getCountsCount(), cells);
    long[] counts = new long[(int) cells];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = count(f, ".counts", i, m.getCounts(i));
    }
    double lo = finite(f + ".lo", m.getLo());
    double hi = finite(f + ".hi", m.getHi());
    long total = count(f + ".total", m.getTotal());
    return WireChecks.consistent(
        f, () -> io.prunewire.scorers.stats.Histogram.of(n, lo, hi, bins, total, counts));
  }

  private static io.prunewire.scorers.stats.CoActivation coActivation(
      String f, CoActivation m, int n) {
    int k = m.getAnchorsCount();
    int[] anchors = new int[k];
    for (int a = 0; a < k; a++) {
      anchors[a] = m.getAnchors(a);
    }
    length(f + ".mean", m.getMeanCount(), n);
    length(f + ".m2", m.getM2Count(), n);
    length(f + ".comoment", m.getComomentCount(), (long) n * k);
    double[] mean = new double[n];
    double[] m2 = new double[n];
    for (int i = 0; i < n; i++) {
      mean[i] = finite(f, ".mean", i, m.getMean(i));
      m2[i] = finite(f, ".m2", i, m.getM2(i));
    }
    double[] comoment = new double[n * k];
    for (int j = 0; j < comoment.length; j++) {
      comoment[j] = finite(f, ".comoment", j, m.getComoment(j));
    }
    long count = count(f + ".count", m.getCount());
    return WireChecks.consistent(
        f, () -> io.prunewire.scorers.stats.CoActivation.of(count, anchors, mean, m2, comoment));
  }

  private static WeightStatisticsEvent weights(Header h, WeightStatistics m) {
    String f = "WeightStatistics";
    int n = neurons(f, m.getNeurons());
    length(f + ".l2", m.getL2Count(), n);
    length(f + ".l1", m.getL1Count(), n);
    length(f + ".variance", m.getVarianceCount(), n);
    length(f + ".nonZeroRatio", m.getNonZeroRatioCount(), n);
    length(f + ".entropy", m.getEntropyCount(), n);
    length(f + ".effectiveRankDrop", m.getEffectiveRankDropCount(), n);
    length(f + ".outgoing", m.getOutgoingCount(), n);
    double[] l2 = new double[n];
    double[] l1 = new double[n];
    double[] variance = new double[n];
    double[] nonZero = new double[n];
    double[] entropy = new double[n];
    double[] rankDrop = new double[n];
    double[] outgoing = new double[n];
    for (int i = 0; i < n; i++) {
      l2[i] = finite(f, ".l2", i, m.getL2(i));
      l1[i] = finite(f, ".l1", i, m.getL1(i));
      variance[i] = finite(f, ".variance", i, m.getVariance(i));
      nonZero[i] = finite(f, ".nonZeroRatio", i, m.getNonZeroRatio(i));
      entropy[i] = finite(f, ".entropy", i, m.getEntropy(i));
      rankDrop[i] = finite(f, ".effectiveRankDrop", i, m.getEffectiveRankDrop(i));
      outgoing[i] = finite(f, ".outgoing", i, m.getOutgoing(i));
    }
    io.prunewire.scorers.stats.WeightStatistics s =
        WireChecks.consistent(
            f,
            () ->
                new io.prunewire.scorers.stats.WeightStatistics(
                    m.getFanIn(),
                    m.getFanOut(),
                    l2,
                    l1,
                    variance,
                    nonZero,
                    entropy,
                    rankDrop,
                    outgoing));
    return new WeightStatisticsEvent(h, m.getLayer(), m.getWindow(), s);
  }

  private static AblationEvent ablation(Header h, Ablation m) {
    List<AblationEvent.Measurement> measurements = new ArrayList<>(m.getMeasurementsCount());
    for (Ablation.Measurement p : m.getMeasurementsList()) {
      measurements.add(
          new AblationEvent.Measurement(
              removals(p.getRemovedList()),
              finite("Ablation.measurement.deltaLoss", p.getDeltaLoss())));
    }
    return new AblationEvent(h, m.getCheckpointId(), measurements);
  }

  private static List<AblationEvent.Removal> removals(List<Removal> removed) {
    List<AblationEvent.Removal> out = new ArrayList<>(removed.size());
    for (Removal r : removed) {
      int[] neurons = new int[r.getNeuronsCount()];
      for (int i = 0; i < neurons.length; i++) {
        neurons[i] = r.getNeurons(i);
      }
      out.add(new AblationEvent.Removal(r.getLayer(), neurons));
    }
    return out;
  }

  private static DecisionEvent decision(Header h, Decision m) {
    List<DecisionEvent.LayerDecision> layers = new ArrayList<>(m.getLayersCount());
    for (Decision.LayerDecision l : m.getLayersList()) {
      String f = "Decision.layers[" + l.getLayer() + "]";
      int n = neurons(f + ".neurons", l.getNeurons());
      length(f + ".scores", l.getScoresCount(), n);
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        scores[i] = finite(f, ".scores", i, l.getScores(i));
      }
      layers.add(
          new DecisionEvent.LayerDecision(l.getLayer(), keep(f + ".keep", l.getKeep(), n), scores));
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    m.getFusionWeightsMap()
        .forEach(
            (criterion, weight) ->
                weights.put(criterion, (double) finite("Decision.fusionWeights", weight)));
    return new DecisionEvent(
        h, m.getCheckpointId(), layers, weights, m.getReason(), m.getMissingTrainersList());
  }

  /** The LSB-first keep bits: exactly ceil(n/8) bytes, unused high bits of the last byte zero. */
  private static boolean[] keep(String f, ByteString packed, int n) {
    length(f + " bytes", packed.size(), (n + 7L) / 8);
    boolean[] keep = new boolean[n];
    for (int b = 0; b < packed.size(); b++) {
      int v = packed.byteAt(b) & 0xff;
      for (int j = 0; j < 8; j++) {
        int i = b * 8 + j;
        boolean set = (v & (1 << j)) != 0;
        if (i < n) {
          keep[i] = set;
        } else if (set) {
          throw new InvalidEventException(
              RejectReason.MALFORMED, f + ": padding bit " + j + " of the last byte is set");
        }
      }
    }
    return keep;
  }

  private static RemovalCandidates candidates(Header h, io.prunewire.proto.RemovalCandidates m) {
    List<RemovalCandidates.Candidate> candidates = new ArrayList<>(m.getCandidatesCount());
    for (io.prunewire.proto.RemovalCandidates.Candidate c : m.getCandidatesList()) {
      candidates.add(new RemovalCandidates.Candidate(c.getId(), removals(c.getRemovedList())));
    }
    return new RemovalCandidates(
        h, m.getCheckpointId(), m.getRound(), m.getMeasurersList(), candidates);
  }

  /** A neuron (or bin) count as uint32: values of 2^31 and above arrive negative in Java. */
  private static int neurons(String f, int n) {
    if (n < 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT,
          f + ": " + Integer.toUnsignedString(n) + " does not fit a signed int32");
    }
    return n;
  }

  private static void length(String f, long actual, long expected) {
    if (actual != expected) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH, f + ": " + actual + " entries, expected " + expected);
    }
  }

  /** A uint64 count: values of 2^63 and above arrive negative in Java. */
  private static long count(String f, long v) {
    return count(f, "", -1, v);
  }

  /** Entry {@code i} of array {@code part} of {@code f}; the name is built only for the error. */
  private static long count(String f, String part, int i, long v) {
    if (v < 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT,
          f
              + part
              + (i < 0 ? "" : "[" + i + "]")
              + ": "
              + Long.toUnsignedString(v)
              + " does not fit a signed int64");
    }
    return v;
  }

  private static float finite(String f, float v) {
    return finite(f, "", -1, v);
  }

  /** Entry {@code i} of array {@code part} of {@code f}; the name is built only for the error. */
  private static float finite(String f, String part, int i, float v) {
    if (!Float.isFinite(v)) {
      throw WireChecks.nonFinite(f + part + (i < 0 ? "" : "[" + i + "]"), v);
    }
    return v;
  }

  private static double finite(String f, double v) {
    if (!Double.isFinite(v)) {
      throw WireChecks.nonFinite(f, v);
    }
    return v;
  }
}
