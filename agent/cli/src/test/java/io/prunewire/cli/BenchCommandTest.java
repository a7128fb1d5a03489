package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.bench.ReferenceEvents;
import io.prunewire.evaluation.bench.protobuf.ProtobufEncoder;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void benchListsItsBenchmarks() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("bench", "--help")).isZero();
    assertThat(out.toString())
        .contains("scorers")
        .contains("agent")
        .contains("listener")
        .contains("protocol");
  }

  @Test
  void scorersHelpNamesItsBenchmarks() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("bench", "scorers", "--help")).isZero();
    assertThat(out.toString())
        .contains("mergeLayerSummary")
        .contains("fullRescore")
        .contains("--quick");
  }

  @Test
  void protocolPrintsTheEncodedSizesOfBothCodecs() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.commandLine().execute("bench", "protocol", "--sizes-only")).isZero();
    } finally {
      System.setOut(stdout);
    }
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

  @Test
  void protocolRefusesAnEventItCannotTime() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "protocol", "--events", "activation,nosuch")).isEqualTo(2);
    assertThat(err.toString()).contains("nosuch");
  }

  @Test
  void anUnknownOrMissingBenchmarkIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "nosuch")).isEqualTo(2);
    assertThat(err.toString()).contains("nosuch");
    assertThat(cli.execute("bench")).isEqualTo(2);
    assertThat(err.toString()).contains("scorers, agent, listener, trainer or protocol");
  }

  @Test
  void agentBenchmarkRefusesAKafkaPropertyTheAgentOwns() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "agent", "--kafka-property", "application.id=x")).isEqualTo(2);
    assertThat(err.toString()).contains("application.id");
  }
}
