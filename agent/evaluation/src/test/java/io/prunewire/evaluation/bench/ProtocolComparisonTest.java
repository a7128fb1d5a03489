package io.prunewire.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.bench.protobuf.ProtobufEncoder;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProtocolComparisonTest {

  @Test
  void printsTheEncodedSizesOfBothCodecs() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ProtocolComparison.run(
        new ProtocolComparison.Settings(5, ProtocolComparison.TIMED_EVENTS, false, true),
        new PrintStream(captured, true, StandardCharsets.UTF_8));
    Event activation = ReferenceEvents.activation();
    String expected =
        String.format(
            Locale.ROOT,
            "| activation | %,d | %,d |",
            EventCodec.encode(activation).length,
            ProtobufEncoder.encode(activation).length);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(expected)
        .contains("| run-started-v2 |");
  }
}
