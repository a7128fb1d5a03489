package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of {@code prunewire bench trainer}; the benchmark itself: TrainerThroughputTest. */
class BenchTrainerCommandTest {

  @Test
  void aNonPositiveWindowIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "trainer", "--seconds", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--seconds must be > 0");
  }
}
