package io.prunewire.evaluation.bench.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.prunewire.evaluation.bench.ReferenceEvents;
import io.prunewire.proto.Decision;
import io.prunewire.proto.Record;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.RejectReason;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.WeightStatistics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protobuf schema carries the same values as the hand-written codec, and the protobuf reader
 * rejects what the protocol rejects: the two sides of {@code prunewire bench protocol} do the same
 * work.
 */
class ProtobufCodecTest {

  private static final Header HEADER = new Header("run-7", "trainer-0", 1234, 1_700_000_000_000L);

  static Stream<Event> events() {
    List<Event> events = new ArrayList<>();
    ReferenceEvents.NAMES.forEach(name -> events.add(ReferenceEvents.named(name)));
    events.add(ReferenceEvents.runStarted(Event.VERSION_2));
    CurvatureSummary curvature = CurvatureSummary.empty(3);
    curvature.addProbe(new double[] {0.5, -1.25, 3});
    curvature.addProbe(new double[] {1, 0.25, -2});
    events.add(new CurvatureEvent(HEADER, "h1", 1, curvature));
    events.add(
        new WeightStatisticsEvent(
            HEADER,
            "h1",
            1,
            new WeightStatistics(
                4,
                2,
                new double[] {0.1, 0.2},
                new double[] {0.3, 0.25},
                new double[] {0.01, 0.02},
                new double[] {1, 0.5},
                new double[] {1.3, 1.1},
                new double[] {-0.01, 0.02},
                new double[] {0.4, 0.6})));
    events.add(
        new AblationEvent(
            HEADER,
            "ckpt-1",
            List.of(
                new AblationEvent.Measurement(
                    List.of(new AblationEvent.Removal("h1", new int[] {2})), 0.0125),
                new AblationEvent.Measurement(
                    List.of(
                        new AblationEvent.Removal("h1", new int[] {0, 5}),
                        new AblationEvent.Removal("h2", new int[] {4})),
                    -0.5))));
    events.add(new DecisionAck(HEADER, "ckpt-1", 0x9234_5678_9abc_def0L));
    events.add(new DecisionRefusal(HEADER, "ckpt-1", "unknown_layer", "mask names layer 'bogus'"));
    return events.stream();
  }

  @ParameterizedTest
  @MethodSource("events")
  void bothEncodingsCarryTheSameValues(Event event) {
    Event viaHandwritten = EventCodec.decode(EventCodec.encode(event));
    Event viaProtobuf = ProtobufDecoder.decode(ProtobufEncoder.encode(event));

    assertThat(viaProtobuf).isEqualTo(viaHandwritten);
    // bit for bit, in the same order: the hand-written bytes of both are identical
    assertThat(EventCodec.encode(viaProtobuf)).isEqualTo(EventCodec.encode(viaHandwritten));
    // and either encoding converts into the other without loss
    assertThat(ProtobufDecoder.decode(ProtobufEncoder.encode(viaHandwritten)))
        .isEqualTo(viaHandwritten);
  }

  @Test
  void aNonFiniteValueIsRejectedAsInTheHandwrittenCodec() {
    Record r = ProtobufEncoder.record(ReferenceEvents.activation());
    Record bad =
        r.toBuilder()
            .setActivationSummary(
                r.getActivationSummary().toBuilder()
                    .setValue(
                        r.getActivationSummary().getValue().toBuilder().setMean(17, Float.NaN)))
            .build();

    assertRejected(bad.toByteArray(), RejectReason.NON_FINITE, "ActivationSummary.value.mean[17]");
  }

  @Test
  void anArrayShorterThanTheNeuronCountIsAnArrayLength() {
    Record r = ProtobufEncoder.record(ReferenceEvents.gradient());
    Record bad =
        r.toBuilder()
            .setGradientSummary(
                r.getGradientSummary().toBuilder()
                    .setGate(r.getGradientSummary().getGate().toBuilder().clearMax()))
            .build();

    assertRejected(bad.toByteArray(), RejectReason.ARRAY_LENGTH, "GradientSummary.gate.max");
  }

  @Test
  void countsAboveTheirTotalAreInconsistent() {
    Record r = ProtobufEncoder.record(ReferenceEvents.activation());
    long total = r.getActivationSummary().getNonZero().getTotal();
    Record bad =
        r.toBuilder()
            .setActivationSummary(
                r.getActivationSummary().toBuilder()
                    .setNonZero(
                        r.getActivationSummary().getNonZero().toBuilder().setCounts(3, total + 1)))
            .build();

    assertRejected(bad.toByteArray(), RejectReason.INCONSISTENT, "ActivationSummary.nonZero");
  }

  @Test
  void keepMasksOfTheWrongLengthOrWithPaddingBitsAreRejected() {
    Record r = ProtobufEncoder.record(ReferenceEvents.decision());
    Decision.LayerDecision layer = r.getDecision().getLayers(0);
    byte[] keep = layer.getKeep().toByteArray();
    byte[] padded = keep.clone();
    padded[padded.length - 1] |=
        (byte) 0x80; // 1,300 neurons leave the top 4 bits of the last byte unused

    assertRejected(
        withKeep(r, ByteString.copyFrom(keep, 0, keep.length - 1)),
        RejectReason.ARRAY_LENGTH,
        "keep bytes");
    assertRejected(
        withKeep(r, ByteString.copyFrom(padded)), RejectReason.MALFORMED, "padding bit 7");
  }

  @Test
  void truncatedBytesAreMalformed() {
    byte[] bytes = ProtobufEncoder.encode(ReferenceEvents.candidates());
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

    assertRejected(truncated, RejectReason.MALFORMED, "protobuf");
  }

  /**
   * Protobuf's evolution rule, the alternative to the version byte: a reader skips fields it does
   * not know. A record of a type added after the reader's schema parses with no event set, which
   * the reader must refuse itself; an unknown field inside a known message is dropped silently.
   */
  @Test
  void unknownTypesAreRefusedAndUnknownFieldsInKnownTypesSkipped() throws IOException {
    Record runStarted = ProtobufEncoder.record(ReferenceEvents.runStarted(Event.VERSION_1));
    byte[] newerType =
        append(
            Record.newBuilder().setHeader(runStarted.getHeader()).build().toByteArray(),
            14,
            new byte[] {8, 1});
    io.prunewire.proto.RunStarted body = runStarted.getRunStarted();
    byte[] withNewField = append(body.toByteArray(), 9, new byte[] {1, 2, 3});
    byte[] newerRunStarted =
        append(
            Record.newBuilder().setHeader(runStarted.getHeader()).build().toByteArray(),
            2,
            withNewField);

    assertRejected(newerType, RejectReason.UNKNOWN_TYPE, "none of the types");
    assertThat(ProtobufDecoder.decode(newerRunStarted))
        .isEqualTo(ProtobufDecoder.decode(runStarted.toByteArray()));
    assertThat(((RunStarted) ProtobufDecoder.decode(newerRunStarted)).measuresCandidates())
        .isFalse();
  }

  /** {@code bytes} followed by a length-delimited field {@code number} holding {@code value}. */
  private static byte[] append(byte[] bytes, int number, byte[] value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes);
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeByteArray(number, value);
    coded.flush();
    return out.toByteArray();
  }

  private static byte[] withKeep(Record r, ByteString keep) {
    Decision d = r.getDecision();
    return r.toBuilder()
        .setDecision(d.toBuilder().setLayers(0, d.getLayers(0).toBuilder().setKeep(keep)))
        .build()
        .toByteArray();
  }

  private static void assertRejected(byte[] bytes, RejectReason reason, String message) {
    assertThatThrownBy(() -> ProtobufDecoder.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
