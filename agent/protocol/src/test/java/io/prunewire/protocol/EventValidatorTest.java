package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One test per {@link RejectReason}: the decoder's (bytes) and the validator's (context). */
class EventValidatorTest {
  private final Random random = new Random(11);
  private final CurvatureEvent curvature = Fixtures.curvature(random, 6, "l1");
  private final RunStarted run = Fixtures.runOf(curvature);

  @Test
  void malformedBytes() {
    rejects(
        () -> EventCodec.decode("hello, agent".getBytes(StandardCharsets.US_ASCII)),
        RejectReason.MALFORMED,
        "magic");
    rejects(() -> EventCodec.decode(new byte[] {0x50, 0x57}), RejectReason.MALFORMED, "preamble");
    byte[] bytes = EventCodec.encode(curvature);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(4, Integer.MAX_VALUE); // run id length
    rejects(() -> EventCodec.decode(bytes), RejectReason.MALFORMED, "header.runId");
  }

  @Test
  void unknownVersionAndType() {
    byte[] v3 = EventCodec.encode(curvature);
    v3[2] = 3;
    rejects(() -> EventCodec.decode(v3), RejectReason.UNKNOWN_VERSION, "schema 3");
    byte[] t99 = EventCodec.encode(curvature);
    t99[3] = 99;
    rejects(() -> EventCodec.decode(t99), RejectReason.UNKNOWN_TYPE, "99");
  }

  @Test
  void nonFiniteFloats() {
    byte[] bytes = EventCodec.encode(curvature);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(firstMeanOffset(curvature) + 4 * 2, Float.NaN);
    rejects(() -> EventCodec.decode(bytes), RejectReason.NON_FINITE, "Curvature.vHv.mean[2]");
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(firstMeanOffset(curvature) + 4 * 2, Float.POSITIVE_INFINITY);
    rejects(() -> EventCodec.decode(bytes), RejectReason.NON_FINITE, "Infinity");
    rejects(
        () ->
            new AblationEvent.Measurement(
                List.of(new AblationEvent.Removal("l1", new int[] {1})), Double.NaN),
        RejectReason.NON_FINITE,
        "deltaLoss");
    rejects(
        () ->
            new AblationEvent.Measurement(
                List.of(new AblationEvent.Removal("l1", new int[] {1})), 1e39),
        RejectReason.NON_FINITE,
        "float32 range");
    CurvatureEvent huge =
        new CurvatureEvent(
            Fixtures.HEADER,
            "l1",
            1,
            new io.prunewire.scorers.stats.CurvatureSummary(
                io.prunewire.scorers.stats.Moments.of(
                    1,
                    new double[] {1e39},
                    new double[] {0},
                    new double[] {1e39},
                    new double[] {1e39})));
    rejects(() -> EventCodec.encode(huge), RejectReason.NON_FINITE, "does not fit float32");
  }

  @Test
  void negativeCounts() {
    byte[] bytes = EventCodec.encode(curvature);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(firstMeanOffset(curvature) - 8, -3);
    rejects(() -> EventCodec.decode(bytes), RejectReason.NEGATIVE_COUNT, "Curvature.vHv.count");
    rejects(() -> new Header("r", "t", -1, 0), RejectReason.NEGATIVE_COUNT, "header.step");
    rejects(
        () -> new CheckpointEvent(Fixtures.HEADER, "c", -2),
        RejectReason.NEGATIVE_COUNT,
        "plannedRemovals");
  }

  @Test
  void inconsistentSummary() {
    byte[] bytes = EventCodec.encode(curvature);
    // a zero sample count with non-zero means contradicts itself
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(firstMeanOffset(curvature) - 8, 0);
    rejects(() -> EventCodec.decode(bytes), RejectReason.INCONSISTENT, "Curvature.vHv");
  }

  @Test
  void wrongArrayLengths() {
    RunStarted wider =
        new RunStarted(Fixtures.HEADER, 1, List.of(new LayerSpec("l1", LayerKind.SNN, 7, 4, "")));
    rejects(
        () -> EventValidator.validate(curvature, wider),
        RejectReason.ARRAY_LENGTH,
        "6 entries, but the layer has 7");
    rejects(
        () -> new DecisionEvent.LayerDecision("l1", new boolean[3], new float[2]),
        RejectReason.ARRAY_LENGTH,
        "scores has 2");
    DecisionEvent decision =
        new DecisionEvent(
            Fixtures.HEADER,
            "c",
            List.of(new DecisionEvent.LayerDecision("l1", new boolean[5], new float[5])),
            Map.of(),
            "",
            List.of());
    rejects(
        () -> EventValidator.validate(decision, run),
        RejectReason.ARRAY_LENGTH,
        "keep/scores has 5 entries");
  }

  @Test
  void unknownRunAndLayer() {
    rejects(
        () -> EventValidator.validate(curvature, null), RejectReason.UNKNOWN_RUN, "no RunStarted");
    RunStarted otherRun = new RunStarted(new Header("run-8", "t", 0, 0), 1, run.layers());
    rejects(() -> EventValidator.validate(curvature, otherRun), RejectReason.UNKNOWN_RUN, "run-8");
    CurvatureEvent elsewhere = new CurvatureEvent(Fixtures.HEADER, "l9", 1, curvature.summary());
    rejects(() -> EventValidator.validate(elsewhere, run), RejectReason.UNKNOWN_LAYER, "'l9'");
    assertThatCode(() -> EventValidator.validate(run, null)).doesNotThrowAnyException();
    assertThatCode(() -> EventValidator.validate(curvature, run)).doesNotThrowAnyException();
  }

  @Test
  void conflictingRunStarted() {
    RunStarted second = new RunStarted(new Header(run.runId(), "trainer-1", 0, 0), 3, run.layers());
    rejects(
        () -> EventValidator.validate(second, run), RejectReason.CONFLICTING_RUN, "fleet size 3");
    RunStarted same =
        new RunStarted(new Header(run.runId(), "trainer-1", 0, 0), run.fleetSize(), run.layers());
    assertThatCode(() -> EventValidator.validate(same, run)).doesNotThrowAnyException();
  }

  @Test
  void ablatedIndexBeyondTheLayer() {
    AblationEvent ablation =
        new AblationEvent(
            Fixtures.HEADER,
            "c",
            List.of(
                new AblationEvent.Measurement(
                    List.of(new AblationEvent.Removal("l1", new int[] {0, 6})), 0.5)));
    rejects(
        () -> EventValidator.validate(ablation, run), RejectReason.INDEX_OUT_OF_RANGE, "index 6");
    rejects(
        () -> new AblationEvent.Removal("l1", new int[] {-1}), RejectReason.NEGATIVE_COUNT, "-1");
  }

  @Test
  void candidateIndexBeyondTheLayerOrOfAnUndeclaredLayer() {
    RemovalCandidates beyond =
        new RemovalCandidates(
            Fixtures.HEADER,
            "c",
            0,
            List.of("t"),
            List.of(
                new RemovalCandidates.Candidate(
                    0, List.of(new AblationEvent.Removal("l1", new int[] {7})))));
    RemovalCandidates undeclared =
        new RemovalCandidates(
            Fixtures.HEADER,
            "c",
            0,
            List.of("t"),
            List.of(
                new RemovalCandidates.Candidate(
                    0, List.of(new AblationEvent.Removal("nope", new int[] {0})))));
    rejects(() -> EventValidator.validate(beyond, run), RejectReason.INDEX_OUT_OF_RANGE, "index 7");
    rejects(() -> EventValidator.validate(undeclared, run), RejectReason.UNKNOWN_LAYER, "nope");
    rejects(
        () ->
            new RemovalCandidates(Fixtures.HEADER, "c", 0, List.of("t", "t"), beyond.candidates()),
        RejectReason.MALFORMED,
        "distinct");
  }

  @Test
  void duplicatesAndOutOfOrderSteps() {
    long step = curvature.step();
    rejects(
        () -> EventValidator.checkOrder(curvature, OptionalLong.of(step)),
        RejectReason.DUPLICATE,
        "already applied");
    rejects(
        () -> EventValidator.checkOrder(curvature, OptionalLong.of(step + 1)),
        RejectReason.OUT_OF_ORDER,
        "older");
    assertThatCode(() -> EventValidator.checkOrder(curvature, OptionalLong.of(step - 1)))
        .doesNotThrowAnyException();
    assertThatCode(() -> EventValidator.checkOrder(curvature, OptionalLong.empty()))
        .doesNotThrowAnyException();
    assertThat(ApplyKey.of(curvature))
        .isEqualTo(new ApplyKey("trainer-0", "l1", EventType.CURVATURE));
    assertThat(ApplyKey.of(Fixtures.checkpoint()))
        .isEqualTo(new ApplyKey("trainer-0", "", EventType.CHECKPOINT));
  }

  @Test
  void weightStatisticsMustHaveTheFanInTheRunDeclared() {
    RunStarted run =
        new RunStarted(Fixtures.HEADER, 1, List.of(new LayerSpec("l2", LayerKind.RNN, 9, 3, "")));
    assertThatCode(() -> EventValidator.validate(Fixtures.weights(random, 9, 3, "l2"), run))
        .doesNotThrowAnyException();
    rejects(
        () -> EventValidator.validate(Fixtures.weights(random, 9, 7, "l2"), run),
        RejectReason.INCONSISTENT,
        "fanIn 7");
  }

  @Test
  void randomCorruptionOnlyEverYieldsARejectionOrAValidEvent() {
    List<Event> events =
        List.of(
            curvature,
            Fixtures.activation(random, 9, "l2"),
            Fixtures.gradient(random, 9, "l2"),
            Fixtures.weights(random, 9, 3, "l2"),
            Fixtures.ablation(),
            Fixtures.decision(random, 20),
            Fixtures.runStarted());
    for (Event e : events) {
      byte[] clean = EventCodec.encode(e);
      for (int trial = 0; trial < 500; trial++) {
        byte[] bytes = clean.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        try {
          Event decoded = EventCodec.decode(bytes);
          assertThat(EventCodec.encode(decoded)).isEqualTo(bytes);
        } catch (InvalidEventException expected) {
          assertThat(expected.reason()).isNotNull();
        }
      }
    }
  }

  /**
   * Offset of {@code vHv.mean[0]} from PROTOCOL.md's layout: preamble, header, layer, window,
   * neurons, count.
   */
  private static int firstMeanOffset(CurvatureEvent e) {
    int utf8Run = e.runId().getBytes(StandardCharsets.UTF_8).length;
    int utf8Trainer = e.trainerId().getBytes(StandardCharsets.UTF_8).length;
    int utf8Layer = e.layer().getBytes(StandardCharsets.UTF_8).length;
    return 4 + (4 + utf8Run) + (4 + utf8Trainer) + 8 + 8 + (4 + utf8Layer) + 4 + 4 + 8;
  }

  private static void rejects(ThrowingCallable call, RejectReason reason, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
