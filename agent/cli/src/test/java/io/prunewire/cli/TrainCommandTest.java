package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsEveryTrainingFlag() {
    assertThat(run("train", "--help")).isZero();
    assertThat(out.toString()).contains("--model", "--quick", "--epochs", "--rnn", "--snn", "--lr", "--momentum",
        "--clip", "--dropout", "--bptt", "--batch", "--seed", "--checkpoint-dir", "--resume", "--bootstrap-servers",
        "--run-id", "--trainer-id", "--fleet-size", "--checkpoints", "--target", "--decision-timeout", "--metrics-port",
        "--metrics-bind");
  }

  @Test
  void resumeWithoutACheckpointIsAUsageError(@TempDir Path empty) {
    assertThat(run("train", "--resume", "--checkpoint-dir", empty.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("workload.json missing");
  }

  @Test
  void rejectsUnknownModel() {
    assertThat(run("train", "--model", "transformer")).isEqualTo(2);
    assertThat(err.toString()).contains("transformer");
  }
}
