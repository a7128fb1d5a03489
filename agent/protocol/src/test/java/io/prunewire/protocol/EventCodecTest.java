package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  static Stream<Event> events() {
    Random random = new Random(42);
    return Stream.of(
        Fixtures.runStarted(),
        Fixtures.activation(random, 13, "a"),
        Fixtures.gradient(random, 13, "a"),
        Fixtures.curvature(random, 13, "a"),
        Fixtures.weights(random, 13, 5, "a"),
        Fixtures.checkpoint(),
        Fixtures.ablation(),
        Fixtures.decision(new Random(1), 1300),
        new DecisionAck(Fixtures.HEADER, "ckpt-1", 0x1234_5678_9abc_def0L),
        new DecisionRefusal(Fixtures.HEADER, "ckpt-1", "unknown_layer", "mask names layer 'bogus'"),
        Fixtures.runStartedV2(),
        Fixtures.candidates(),
        Fixtures.outcome());
  }

  @Test
  void aVersion2TypeIsWrittenWithVersionByte2AndRefusedUnderVersionByte1() {
    byte[] refusal =
        EventCodec.encode(new DecisionRefusal(Fixtures.HEADER, "ckpt-1", "all_pruned", ""));
    byte[] checkpoint = EventCodec.encode(Fixtures.checkpoint());
    assertThat(refusal[2]).isEqualTo((byte) 2);
    assertThat(refusal[3]).isEqualTo((byte) 10);
    assertThat(checkpoint[2]).isEqualTo((byte) 1);

    refusal[2] = 1;
    assertThatThrownBy(() -> EventCodec.decode(refusal))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_VERSION))
        .hasMessageContaining("from schema 2");
    // A version-1 type reads under version byte 2 as well, with its version-1 layout.
    checkpoint[2] = 2;
    assertThat(EventCodec.decode(checkpoint)).isEqualTo(Fixtures.checkpoint());
    checkpoint[2] = 3;
    assertThatThrownBy(() -> EventCodec.decode(checkpoint))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_VERSION));
  }

  @Test
  void newTypesCarryVersionTwoAndOldTypesKeepVersionOne() {
    assertThat(EventCodec.encode(Fixtures.candidates())[2]).isEqualTo((byte) 2);
    assertThat(EventCodec.encode(Fixtures.outcome())[2]).isEqualTo((byte) 2);
    assertThat(EventCodec.encode(Fixtures.checkpoint())[2]).isEqualTo((byte) 1);
    assertThat(EventCodec.encode(Fixtures.runStarted())[2]).isEqualTo((byte) 1);
    assertThat(EventCodec.encode(Fixtures.runStartedV2())[2]).isEqualTo((byte) 2);
    assertThat(
            ((RunStarted) EventCodec.decode(EventCodec.encode(Fixtures.runStartedV2())))
                .measuresCandidates())
        .isTrue();
    assertThat(
            ((RunStarted) EventCodec.decode(EventCodec.encode(Fixtures.runStarted())))
                .measuresCandidates())
        .isFalse();
  }

  @Test
  void aVersionTwoDecoderReadsOldTypesUnderVersionTwo() {
    byte[] bytes = EventCodec.encode(Fixtures.checkpoint());
    bytes[2] = 2;

    assertThat(EventCodec.decode(bytes)).isEqualTo(Fixtures.checkpoint());
  }

  @Test
  void aNewTypeUnderVersionOneAndAnyOtherVersionAreUnknownVersions() {
    byte[] outcome = EventCodec.encode(Fixtures.outcome());
    outcome[2] = 1;
    byte[] three = EventCodec.encode(Fixtures.checkpoint());
    three[2] = 3;

    assertThatThrownBy(() -> EventCodec.decode(outcome))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_VERSION))
        .hasMessageContaining("from schema 2");
    assertThatThrownBy(() -> EventCodec.decode(three))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_VERSION));
  }

  @Test
  void candidatesAreSplitByPositionModuloTheMeasurers() {
    RemovalCandidates c = Fixtures.candidates();

    assertThat(c.assignedTo("trainer-0"))
        .extracting(RemovalCandidates.Candidate::id)
        .containsExactly(0, 7);
    assertThat(c.assignedTo("trainer-1"))
        .extracting(RemovalCandidates.Candidate::id)
        .containsExactly(1);
    assertThat(c.assignedTo("trainer-9")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesARoundTrip(Event event) {
    byte[] bytes = EventCodec.encode(event);

    Event decoded = EventCodec.decode(bytes);

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.type()).isEqualTo(event.type());
    assertThat(EventCodec.encode(decoded)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyTruncationIsRejectedAsMalformed(Event event) {
    byte[] bytes = EventCodec.encode(event);
    // every proper prefix, sampled densely at the start where the header and lengths are
    // the one prefix that is whole: an outcome without its optional standard error
    int optional =
        event instanceof RemovalOutcome o && !Double.isNaN(o.deltaLossStdErr())
            ? bytes.length - 4
            : -1;
    for (int len = 0; len < bytes.length; len += len < 200 ? 1 : 97) {
      if (len == optional) {
        assertThat(EventCodec.decode(Arrays.copyOf(bytes, len)))
            .isEqualTo(new RemovalOutcome(event.header(), "ckpt-1", 3, 7, 0.03125, 4, Double.NaN));
        continue;
      }
      byte[] prefix = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> EventCodec.decode(prefix))
          .as("prefix of %d bytes", len)
          .isInstanceOfSatisfying(
              InvalidEventException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED));
    }
  }

  @ParameterizedTest
  @MethodSource("events")
  void trailingBytesAreRejected(Event event) {
    byte[] bytes = Arrays.copyOf(EventCodec.encode(event), EventCodec.encode(event).length + 1);

    assertThatThrownBy(() -> EventCodec.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageContaining("trailing");
  }

  @Test
  void idsWithControlCharactersAreRejectedBecauseTheyWouldJoinOtherStateKeys() {
    byte[] bytes =
        EventCodec.encode(new CheckpointEvent(new Header("run-a", "t0", 1, 1), "c-1", 2));
    // "run-a" -> "run\u001fa": the run "run" with a layer "a" shares its key prefix
    byte[] forged = bytes.clone();
    int at = indexOf(forged, "run-a".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + 3;
    forged[at] = 0x1f;

    assertThatThrownBy(() -> EventCodec.decode(forged))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageContaining("header.runId: control character U+001F at index 3");
    assertThatThrownBy(() -> new LayerSpec("h1\n", LayerKind.RNN, 2, 2, ""))
        .hasMessageContaining("layer.name: control character U+000A");
    assertThatThrownBy(() -> new CheckpointEvent(Fixtures.HEADER, "c\u0000", 1))
        .hasMessageContaining("Checkpoint.checkpointId");
    assertThat(new Header("rün-ü ✓", "t 0", 1, 1).runId()).isEqualTo("rün-ü ✓");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void anOutcomesStandardErrorIsOptionalAndChecked() {
    RemovalOutcome without = new RemovalOutcome(Fixtures.HEADER, "c", 0, 1, 0.5, 1);
    byte[] bytes = EventCodec.encode(without);

    assertThat(((RemovalOutcome) EventCodec.decode(bytes)).deltaLossStdErr()).isNaN();
    assertThatThrownBy(() -> EventCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("RemovalOutcome.deltaLossStdErr: needs 4 bytes");
    byte[] nan = Arrays.copyOf(bytes, bytes.length + 4);
    java.nio.ByteBuffer.wrap(nan)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putFloat(bytes.length, Float.NaN);
    assertThatThrownBy(() -> EventCodec.decode(nan))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.NON_FINITE))
        .hasMessageContaining("deltaLossStdErr");
    assertThatThrownBy(() -> new RemovalOutcome(Fixtures.HEADER, "c", 0, 1, 0.5, 4, -0.1))
        .hasMessageContaining("RemovalOutcome.deltaLossStdErr: must be >= 0");
    assertThatThrownBy(() -> new RemovalOutcome(Fixtures.HEADER, "c", 0, 1, 0.5, 1, 0.1))
        .hasMessageContaining("needs >= 2 probe batches");
  }

  @Test
  void anEventKeepsItsOwnCopyOfTheTrainersAccumulator() {
    io.prunewire.scorers.stats.GradientSummary accumulating =
        io.prunewire.scorers.stats.GradientSummary.empty(3);
    accumulating.addRows(new float[] {1, 2, 3});
    GradientSummaryEvent event = new GradientSummaryEvent(Fixtures.HEADER, "l", 1, accumulating);
    byte[] before = EventCodec.encode(event);

    accumulating.addRows(new float[] {-5, 6, 7});

    assertThat(event.summary().gradient().count()).isEqualTo(1);
    assertThat(EventCodec.encode(event)).isEqualTo(before);
  }

  @Test
  void floatsAreHeldAtWirePrecisionSoDecodingIsExact() {
    AblationEvent.Measurement m =
        new AblationEvent.Measurement(List.of(new AblationEvent.Removal("l1", new int[] {3})), 0.1);

    assertThat(m.deltaLoss()).isEqualTo((double) 0.1f);
  }

  @Test
  void maskHashIsTheFnv1aOfTheEncodedMaskSections() {
    DecisionEvent d = Fixtures.decision(new Random(2), 19);
    // brute force: FNV-1a 64 written out from its definition over the bytes laid out by hand
    StringBuilder hex = new StringBuilder();
    for (DecisionEvent.LayerDecision l : d.layers()) {
      byte[] name = l.layer().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      hex.append(le32(name.length));
      for (byte b : name) {
        hex.append(String.format("%02x", b));
      }
      hex.append(le32(l.neurons()));
      boolean[] keep = l.keep();
      for (int i = 0; i < keep.length; i += 8) {
        int v = 0;
        for (int j = 0; j < 8 && i + j < keep.length; j++) {
          v |= keep[i + j] ? 1 << j : 0;
        }
        hex.append(String.format("%02x", v));
      }
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < hex.length(); i += 2) {
      h ^= Integer.parseInt(hex.substring(i, i + 2), 16);
      h *= 0x100000001b3L;
    }

    assertThat(d.maskHash()).isEqualTo(h);
    Map<String, boolean[]> flipped = new LinkedHashMap<>();
    d.layers().forEach(l -> flipped.put(l.layer(), l.keep()));
    flipped.values().iterator().next()[0] ^= true;
    assertThat(MaskHash.of(flipped)).isNotEqualTo(h);
  }

  /**
   * The co-moments are regrouped by anchor as they are read; they decode to the same values and a
   * non-finite one is still named by its row-major index on the wire.
   */
  @Test
  void coMomentsDecodeByAnchorAndANonFiniteOneIsNamedByItsWireIndex() {
    ActivationSummaryEvent event = Fixtures.activation(new Random(3), 13, "a");
    byte[] bytes = EventCodec.encode(event);
    ActivationSummaryEvent decoded = (ActivationSummaryEvent) EventCodec.decode(bytes);
    double[] sent = event.summary().coActivation().comomentArray();
    assertThat(decoded.summary().coActivation().comomentArray()).containsExactly(sent);

    int index = sent.length - 7; // the co-moments are the record's last floats
    int at = bytes.length - 4 * (sent.length - index);
    byte[] corrupt = bytes.clone();
    int nan = Float.floatToRawIntBits(Float.NaN);
    for (int b = 0; b < 4; b++) {
      corrupt[at + b] = (byte) (nan >>> (8 * b));
    }
    assertThatThrownBy(() -> EventCodec.decode(corrupt))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.NON_FINITE))
        .hasMessageContaining("comoment[" + index + "]");
  }

  private static String le32(int v) {
    return String.format(
        "%02x%02x%02x%02x", v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
}
