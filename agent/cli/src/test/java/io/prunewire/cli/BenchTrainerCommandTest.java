package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code prunewire bench trainer} on a tiny model: its output contract, the listener arm and the
 * profile.
 */
class BenchTrainerCommandTest {

  @Test
  void endsWithTheMedianTokensPerSecondAndMeasuresTheListenerAndTheProfile() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          Main.commandLine()
              .execute(
                  "bench",
                  "trainer",
                  "--embedding",
                  "8",
                  "--rnn",
                  "8",
                  "--snn",
                  "8",
                  "--batch",
                  "4",
                  "--bptt",
                  "5",
                  "--seconds",
                  "0.3",
                  "--windows",
                  "3",
                  "--warmup",
                  "0",
                  "--listener",
                  "--profile");
    } finally {
      System.setOut(saved);
    }
    assertThat(exit).isZero();
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    String last = lines.get(lines.size() - 1);
    assertThat(last).matches("tokens/s \\d+\\.\\d");
    double bare = Double.parseDouble(last.substring("tokens/s ".length()));
    assertThat(bare).isPositive();
    assertThat(lines).filteredOn(l -> l.startsWith("window ")).hasSize(6);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("median with listener: ") && l.contains("listener overhead"));
    assertThat(lines).contains("| part of the training step | share of samples |");
    assertThat(lines).anyMatch(l -> l.matches("\\d+ samples of the training thread\\."));
  }

  @Test
  void aNonPositiveWindowIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "trainer", "--seconds", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--seconds must be > 0");
  }
}
