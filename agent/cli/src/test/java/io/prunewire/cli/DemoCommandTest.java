package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

  @Test
  void helpListsEveryFlagWithItsDefault() {
    StringWriter out = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute("demo", "--help")).isZero();
    String help = out.toString();
    for (String flag :
        new String[] {
          "--embedding",
          "--rnn",
          "--snn",
          "--steps",
          "--checkpoints",
          "--target",
          "--snn-ratio",
          "--eval-tokens",
          "--singles",
          "--groups",
          "--probes",
          "--seed",
          "--metrics-port",
          "--report"
        }) {
      assertThat(help).as("help mentions %s", flag).contains(flag);
    }
    assertThat(help)
        .contains("/metrics")
        .contains("report.md")
        .contains("(default: 240)")
        .contains("(default: 0.5)");
  }

  @Test
  void badSettingsFailBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("demo", "--steps", "5", "--checkpoints", "4")).isNotZero();
    assertThat(err.toString()).contains("too few for 4 checkpoints");
  }

  @Test
  void unknownRecoveryWindowsAreAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("demo", "--recovery-windows", "valid")).isEqualTo(2);
    assertThat(err.toString()).contains("recovery windows must be one of [test, train]");
  }
}
