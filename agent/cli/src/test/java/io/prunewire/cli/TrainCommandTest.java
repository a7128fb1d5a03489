package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    assertThat(out.toString())
        .contains(
            "--model",
            "--quick",
            "--epochs",
            "--rnn",
            "--snn",
            "--optimizer",
            "--lr",
            "--momentum",
            "--clip",
            "--dropout",
            "--bptt",
            "--batch",
            "--seed",
            "--checkpoint-dir",
            "--resume",
            "--bootstrap-servers",
            "--run-id",
            "--trainer-id",
            "--fleet-size",
            "--checkpoints",
            "--target",
            "--decision-timeout",
            "--recovery-steps",
            "--recovery-windows",
            "--metrics-port",
            "--metrics-bind",
            "--kafka-config",
            "--kafka-property");
  }

  @Test
  void kafkaClientOptionsAreRepeatableInTheDeploymentGroupFlagsOverFile(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    TrainCommand train = new TrainCommand();
    new CommandLine(train)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(
            "--bootstrap-servers",
            "kafka:9093",
            "--kafka-config",
            file.toString(),
            "--kafka-property",
            "sasl.mechanism=SCRAM-SHA-512",
            "--kafka-property",
            "ssl.truststore.type=PEM");
    assertThat(KafkaClientOptions.resolve(train.deployment.kafka))
        .isEqualTo(
            Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "ssl.truststore.type",
                "PEM"));
  }

  @Test
  void kafkaClientOptionsNeedBootstrapServers() {
    assertThat(run("train", "--kafka-property", "security.protocol=SSL")).isEqualTo(2);
    assertThat(err.toString()).contains("--bootstrap-servers");
  }

  @Test
  void aBadLineInTheClientFileFailsBeforeTrainingNamingFileAndLine(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(dir.resolve("client.properties"), "# secured\nsasl.jaas.config\n");
    assertThat(
            run("train", "--bootstrap-servers", "127.0.0.1:9", "--kafka-config", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains(file + " line 2").contains("expected key=value");
    assertThat(out.toString()).doesNotContain("model:");
  }

  @Test
  void resumeWithoutACheckpointIsAUsageError(@TempDir Path empty) {
    assertThat(run("train", "--resume", "--checkpoint-dir", empty.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("workload.json missing");
  }

  @Test
  void resumeCannotJoinADeployment(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("workload.json"), "{}");
    assertThat(
            run(
                "train",
                "--resume",
                "--checkpoint-dir",
                dir.toString(),
                "--bootstrap-servers",
                "127.0.0.1:9"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--resume cannot be combined with --bootstrap-servers");
  }

  @Test
  void deploymentFlagsNeedBootstrapServers() {
    assertThat(run("train", "--run-id", "r1")).isEqualTo(2);
    assertThat(err.toString()).contains("--bootstrap-servers");
  }

  /**
   * {@code train} of a tiny model joining a deployment, with {@code flags} added; the deployment
   * flags are checked after the model is built, so the model must be a valid one.
   */
  private int runTinyDeployment(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--quick",
                "--epochs",
                "1",
                "--embedding",
                "8",
                "--rnn",
                "8",
                "--snn",
                "8",
                "--bootstrap-servers",
                "127.0.0.1:9"));
    args.addAll(List.of(flags));
    return run(args.toArray(String[]::new));
  }

  @Test
  void negativeRecoveryStepsAreAUsageErrorNamingTheFlag() {
    assertThat(runTinyDeployment("--recovery-steps", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--recovery-steps >= 0").contains("-1");
  }

  @Test
  void recoveryWindowsAreNamedAndTrainingWindowsNeedRecoverySteps() {
    assertThat(runTinyDeployment("--recovery-windows", "valid")).isEqualTo(2);
    assertThat(err.toString()).contains("recovery windows must be one of [test, train]");
    assertThat(runTinyDeployment("--recovery-windows", "train")).isEqualTo(2);
    assertThat(err.toString()).contains("recovery windows train need recovery steps");
  }

  @Test
  void fewerThanOneOutcomeBatchIsAUsageErrorNamingTheFlag() {
    assertThat(runTinyDeployment("--outcome-batches", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--outcome-batches must be >= 1").contains(", 0, ");
  }

  @Test
  void rejectsUnknownModel() {
    assertThat(run("train", "--model", "transformer")).isEqualTo(2);
    assertThat(err.toString()).contains("transformer");
  }
}
