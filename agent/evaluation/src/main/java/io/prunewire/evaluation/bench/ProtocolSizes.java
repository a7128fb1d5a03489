package io.prunewire.evaluation.bench;

import com.google.protobuf.CodedOutputStream;
import io.prunewire.evaluation.bench.protobuf.ProtobufEncoder;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.RemovalCandidates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encoded bytes of the reference events in both encodings, and what version 2 added to each: sizes
 * need no timing, so they are exact and independent of the machine's load.
 */
public final class ProtocolSizes {

  /** One event's record value in both encodings. */
  public record Row(String event, int handwritten, int protobuf) {
    static Row of(String name, Event e) {
      return new Row(name, EventCodec.encode(e).length, ProtobufEncoder.encode(e).length);
    }
  }

  private ProtocolSizes() {}

  /** The named {@link ReferenceEvents}, then RunStarted as a version-2 trainer sends it. */
  public static List<Row> rows(List<String> events) {
    List<Row> rows = new ArrayList<>();
    for (String name : events) {
      rows.add(Row.of(name, ReferenceEvents.named(name)));
    }
    rows.add(Row.of("run-started-v2", ReferenceEvents.runStarted(Event.VERSION_2)));
    return rows;
  }

  /**
   * Bytes of every neuron index of the candidates as protobuf {@code fixed32} (the schema's) and as
   * {@code uint32}.
   */
  public static long[] candidateIndexBytes(RemovalCandidates c) {
    long fixed = 0;
    long varint = 0;
    for (RemovalCandidates.Candidate candidate : c.candidates()) {
      for (AblationEvent.Removal r : candidate.removed()) {
        for (int n : r.neurons()) {
          fixed += 4;
          varint += CodedOutputStream.computeUInt32SizeNoTag(n);
        }
      }
    }
    return new long[] {fixed, varint};
  }

  /** The rows as a Markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder out =
        new StringBuilder(
            "| event | hand-written bytes | protobuf bytes | protobuf − hand-written |\n"
                + "| --- | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %+,d (%+.2f %%) |%n",
              r.event(),
              r.handwritten(),
              r.protobuf(),
              r.protobuf() - r.handwritten(),
              100.0 * (r.protobuf() - r.handwritten()) / r.handwritten()));
    }
    return out.toString();
  }
}
