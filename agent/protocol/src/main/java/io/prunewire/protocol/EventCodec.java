package io.prunewire.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary encoding of protocol v1 and v2 (layout in PROTOCOL.md): magic {@code "PW"}, version
 * byte, type byte, the {@link Header}, then the type's body. Little-endian throughout; floats are
 * IEEE-754 float32, scalar counts int64, per-neuron count arrays unsigned LEB128 varints, sizes and
 * indices int32, strings int32-length-prefixed UTF-8. Thread-safe and stateless.
 *
 * <p>{@link #decode} checks every length against the remaining bytes before allocating, rejects
 * NaN/Inf, negative counts and trailing bytes, and throws {@link InvalidEventException} with the
 * matching {@link RejectReason}; it never returns a partially valid event.
 */
public final class EventCodec {
  /** The two magic bytes {@code 'P','W'} that open every record. */
  static final int MAGIC_0 = 0x50;

  static final int MAGIC_1 = 0x57;

  private EventCodec() {}

  /** Encodes an event into a self-contained record value. */
  public static byte[] encode(Event event) {
    WireWriter w = new WireWriter();
    w.u8(MAGIC_0);
    w.u8(MAGIC_1);
    w.u8(event.schemaVersion());
    w.u8(event.type().code());
    Header h = event.header();
    w.str(h.runId());
    w.str(h.trainerId());
    w.i64(h.step());
    w.i64(h.timestampMillis());
    if (event instanceof RunStarted e) {
      writeRunStarted(w, e);
    } else if (event instanceof LayerSummaryEvent e) {
      w.str(e.layer());
      w.i32(e.window());
      if (e instanceof ActivationSummaryEvent a) {
        SummaryCodec.write(w, a.summary());
      } else if (e instanceof GradientSummaryEvent g) {
        SummaryCodec.write(w, g.summary());
      } else if (e instanceof CurvatureEvent c) {
        SummaryCodec.write(w, c.summary());
      } else if (e instanceof WeightStatisticsEvent s) {
        SummaryCodec.write(w, s.statistics());
      }
    } else if (event instanceof CheckpointEvent e) {
      w.str(e.checkpointId());
      w.i32(e.plannedRemovals());
    } else if (event instanceof AblationEvent e) {
      writeAblation(w, e);
    } else if (event instanceof DecisionEvent e) {
      writeDecision(w, e);
    } else if (event instanceof DecisionAck e) {
      w.str(e.checkpointId());
      w.i64(e.maskHash());
    } else if (event instanceof DecisionRefusal e) {
      w.str(e.checkpointId());
      w.str(e.reason());
      w.str(e.detail());
    } else if (event instanceof RemovalCandidates e) {
      writeCandidates(w, e);
    } else if (event instanceof RemovalOutcome e) {
      w.str(e.checkpointId());
      w.i32(e.round());
      w.i32(e.candidateId());
      w.f32(e.deltaLoss());
      w.i32(e.probeBatches());
      if (!Double.isNaN(e.deltaLossStdErr())) {
        w.f32(e.deltaLossStdErr()); // optional trailing field: absent = not known
      }
    } else {
      throw new IllegalStateException("no encoder for " + event.type());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one record value.
   *
   * @throws InvalidEventException with reason MALFORMED, UNKNOWN_VERSION, UNKNOWN_TYPE,
   *     ARRAY_LENGTH, NON_FINITE, NEGATIVE_COUNT or INCONSISTENT
   */
  public static Event decode(byte[] bytes) {
    if (bytes == null || bytes.length < 4) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "record of "
              + (bytes == null ? "null" : bytes.length + " bytes")
              + " is shorter than the 4-byte preamble");
    }
    WireReader r = new WireReader(bytes);
    int m0 = r.u8("magic");
    int m1 = r.u8("magic");
    if (m0 != MAGIC_0 || m1 != MAGIC_1) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          String.format("magic: expected 50 57 ('PW'), was %02x %02x", m0, m1));
    }
    int version = r.u8("version");
    if (version != Event.VERSION_1 && version != Event.VERSION_2) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_VERSION,
          "version: schema " + version + " is not supported (this decoder reads schemas 1 and 2)");
    }
    EventType type = EventType.ofCode(r.u8("type"));
    if (version < type.sinceVersion()) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_VERSION,
          "version: type "
              + type.code()
              + " ("
              + type
              + ") exists from schema "
              + type.sinceVersion()
              + " on, the record says schema "
              + version);
    }
    Header h =
        new Header(
            r.str("header.runId"),
            r.str("header.trainerId"),
            r.i64("header.step"),
            r.i64("header.timestampMillis"));
    Event e;
    try {
      e =
          switch (type) {
            case RUN_STARTED -> readRunStarted(r, h, version);
            case ACTIVATION_SUMMARY ->
                new ActivationSummaryEvent(
                    h,
                    r.str("ActivationSummary.layer"),
                    r.i32("ActivationSummary.window"),
                    HandedOver.summary(SummaryCodec.readActivation(r, "ActivationSummary")));
            case GRADIENT_SUMMARY ->
                new GradientSummaryEvent(
                    h,
                    r.str("GradientSummary.layer"),
                    r.i32("GradientSummary.window"),
                    HandedOver.summary(SummaryCodec.readGradient(r, "GradientSummary")));
            case CURVATURE ->
                new CurvatureEvent(
                    h,
                    r.str("Curvature.layer"),
                    r.i32("Curvature.window"),
                    HandedOver.summary(SummaryCodec.readCurvature(r, "Curvature")));
            case WEIGHT_STATISTICS ->
                new WeightStatisticsEvent(
                    h,
                    r.str("WeightStatistics.layer"),
                    r.i32("WeightStatistics.window"),
                    SummaryCodec.readWeights(r, "WeightStatistics"));
            case CHECKPOINT ->
                new CheckpointEvent(
                    h, r.str("Checkpoint.checkpointId"), r.i32("Checkpoint.plannedRemovals"));
            case ABLATION -> readAblation(r, h);
            case DECISION -> readDecision(r, h);
            case DECISION_ACK ->
                new DecisionAck(
                    h, r.str("DecisionAck.checkpointId"), r.i64("DecisionAck.maskHash"));
            case DECISION_REFUSAL ->
                new DecisionRefusal(
                    h,
                    r.str("DecisionRefusal.checkpointId"),
                    r.str("DecisionRefusal.reason"),
                    r.str("DecisionRefusal.detail"));
            case REMOVAL_CANDIDATES -> readCandidates(r, h);
            case REMOVAL_OUTCOME ->
                new RemovalOutcome(
                    h,
                    r.str("RemovalOutcome.checkpointId"),
                    r.i32("RemovalOutcome.round"),
                    r.i32("RemovalOutcome.candidateId"),
                    r.f32("RemovalOutcome.deltaLoss"),
                    r.i32("RemovalOutcome.probeBatches"),
                    r.hasRemaining() ? r.f32("RemovalOutcome.deltaLossStdErr") : Double.NaN);
          };
    } finally {
      HandedOver.clear(); // if an event's checks threw before it took its summary
    }
    r.end(type.name());
    return e;
  }

  private static void writeRunStarted(WireWriter w, RunStarted e) {
    w.i32(e.fleetSize());
    w.i32(e.layers().size());
    for (LayerSpec l : e.layers()) {
      w.str(l.name());
      w.u8(l.kind().code());
      w.i32(l.neurons());
      w.i32(l.fanIn());
      w.str(l.owners());
    }
  }

  private static RunStarted readRunStarted(WireReader r, Header h, int version) {
    int fleet = r.i32("RunStarted.fleetSize");
    int n = r.length("RunStarted.layers", 4 + 1 + 4 + 4 + 4);
    List<LayerSpec> layers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      layers.add(
          new LayerSpec(
              r.str("RunStarted.layers[" + i + "].name"),
              LayerKind.ofCode(r.u8("RunStarted.layers[" + i + "].kind")),
              r.i32("RunStarted.layers[" + i + "].neurons"),
              r.i32("RunStarted.layers[" + i + "].fanIn"),
              r.str("RunStarted.layers[" + i + "].owners")));
    }
    return new RunStarted(h, fleet, layers, version);
  }

  private static void writeAblation(WireWriter w, AblationEvent e) {
    w.str(e.checkpointId());
    w.i32(e.measurements().size());
    for (AblationEvent.Measurement m : e.measurements()) {
      w.f32(m.deltaLoss());
      writeRemovals(w, m.removed());
    }
  }

  private static void writeRemovals(WireWriter w, List<AblationEvent.Removal> removed) {
    w.i32(removed.size());
    for (AblationEvent.Removal rm : removed) {
      w.str(rm.layer());
      int[] neurons = rm.neurons();
      w.i32(neurons.length);
      w.i32s(neurons);
    }
  }

  private static List<AblationEvent.Removal> readRemovals(WireReader r, String f) {
    int layers = r.length(f + ".removed", 4 + 4);
    List<AblationEvent.Removal> removed = new ArrayList<>(layers);
    for (int j = 0; j < layers; j++) {
      String layer = r.str(f + ".removed[" + j + "].layer");
      int count = r.length(f + ".removed[" + j + "].neurons", 4);
      removed.add(
          new AblationEvent.Removal(layer, r.i32s(f + ".removed[" + j + "].neurons", count)));
    }
    return removed;
  }

  private static void writeCandidates(WireWriter w, RemovalCandidates e) {
    w.str(e.checkpointId());
    w.i32(e.round());
    w.i32(e.measurers().size());
    e.measurers().forEach(w::str);
    w.i32(e.candidates().size());
    for (RemovalCandidates.Candidate c : e.candidates()) {
      w.i32(c.id());
      writeRemovals(w, c.removed());
    }
  }

  private static RemovalCandidates readCandidates(WireReader r, Header h) {
    String checkpoint = r.str("RemovalCandidates.checkpointId");
    int round = r.i32("RemovalCandidates.round");
    int m = r.length("RemovalCandidates.measurers", 4);
    List<String> measurers = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      measurers.add(r.str("RemovalCandidates.measurers[" + i + "]"));
    }
    int n = r.length("RemovalCandidates.candidates", 4 + 4);
    List<RemovalCandidates.Candidate> candidates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String f = "RemovalCandidates.candidates[" + i + "]";
      int id = r.i32(f + ".id");
      candidates.add(new RemovalCandidates.Candidate(id, readRemovals(r, f)));
    }
    return new RemovalCandidates(h, checkpoint, round, measurers, candidates);
  }

  private static AblationEvent readAblation(WireReader r, Header h) {
    String checkpoint = r.str("Ablation.checkpointId");
    int n = r.length("Ablation.measurements", 4 + 4);
    List<AblationEvent.Measurement> ms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String f = "Ablation.measurements[" + i + "]";
      float delta = r.f32(f + ".deltaLoss");
      ms.add(new AblationEvent.Measurement(readRemovals(r, f), delta));
    }
    return new AblationEvent(h, checkpoint, ms);
  }

  private static void writeDecision(WireWriter w, DecisionEvent e) {
    w.str(e.checkpointId());
    w.i32(e.layers().size());
    for (DecisionEvent.LayerDecision l : e.layers()) {
      w.str(l.layer());
      w.i32(l.neurons());
      w.bits(l.keep());
      w.f32s(l.scores());
    }
    w.i32(e.fusionWeights().size());
    e.fusionWeights()
        .forEach(
            (criterion, weight) -> {
              w.str(criterion);
              w.f32(weight);
            });
    w.str(e.reason());
    w.i32(e.missingTrainers().size());
    e.missingTrainers().forEach(w::str);
  }

  private static DecisionEvent readDecision(WireReader r, Header h) {
    String checkpoint = r.str("Decision.checkpointId");
    int n = r.length("Decision.layers", 4 + 4);
    List<DecisionEvent.LayerDecision> layers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String layer = r.str("Decision.layers[" + i + "].layer");
      int neurons = r.size("Decision.layers[" + i + "].neurons");
      layers.add(
          new DecisionEvent.LayerDecision(
              layer,
              r.bits("Decision.layers[" + i + "].keep", neurons),
              r.f32s("Decision.layers[" + i + "].scores", neurons)));
    }
    int weights = r.length("Decision.fusionWeights", 4 + 4);
    Map<String, Double> fusion = new LinkedHashMap<>();
    for (int i = 0; i < weights; i++) {
      String criterion = r.str("Decision.fusionWeights[" + i + "].criterion");
      if (fusion.put(criterion, (double) r.f32("Decision.fusionWeights[" + criterion + "]"))
          != null) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "Decision.fusionWeights: criterion '" + criterion + "' appears twice");
      }
    }
    String reason = r.str("Decision.reason");
    int missing = r.length("Decision.missingTrainers", 4);
    List<String> missingTrainers = new ArrayList<>(missing);
    for (int i = 0; i < missing; i++) {
      missingTrainers.add(r.str("Decision.missingTrainers[" + i + "]"));
    }
    return new DecisionEvent(h, checkpoint, layers, fusion, reason, missingTrainers);
  }
}
