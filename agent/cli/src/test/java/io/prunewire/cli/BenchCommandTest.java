package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
