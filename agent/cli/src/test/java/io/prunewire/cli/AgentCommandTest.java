package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.service.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

  @Test
  void helpNamesEverySettingKeyAndTheEndpoints() {
    StringWriter out = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute("agent", "--help")).isZero();
    // Usage lines wrap after dots inside keys ("decisions.\n topic"): join them again.
    String help = out.toString().replaceAll("\\.\\s+(?=[a-z])", ".").replaceAll("\\s+", " ");
    for (String key : AgentConfig.keys()) {
      assertThat(help).as("help mentions setting %s", key).contains(key);
    }
    assertThat(help)
        .contains("/metrics")
        .contains("/health")
        .contains("/ready")
        .contains("--bootstrap-servers")
        .contains("--metrics-port")
        .contains("--bind")
        .contains("--config")
        .contains("PRUNEWIRE_")
        .contains("--kafka-config")
        .contains("--kafka-property");
  }

  @Test
  void kafkaClientOptionsReachTheAgentConfigurationFlagsOverFile(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    AgentCommand cmd = new AgentCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--kafka-config", file.toString(), "--kafka-property", "sasl.mechanism=SCRAM-SHA-512");
    AgentConfig config = cmd.config(Map.of());
    assertThat(config.kafkaClientProperties())
        .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
  }

  @Test
  void runRetentionFlagWinsOverTheEnvironment() throws Exception {
    AgentCommand cmd = new AgentCommand();
    new CommandLine(cmd).parseArgs("--run-retention", "90m");
    assertThat(cmd.config(Map.of("PRUNEWIRE_RUN_RETENTION", "48h")).limits().runRetention())
        .isEqualTo(Duration.ofMinutes(90));
    AgentCommand withoutFlag = new AgentCommand();
    new CommandLine(withoutFlag).parseArgs();
    assertThat(withoutFlag.config(Map.of("PRUNEWIRE_RUN_RETENTION", "48h")).limits().runRetention())
        .isEqualTo(Duration.ofHours(48));
  }

  @Test
  void aKeyTheAgentOwnsIsAUsageErrorNamingIt() {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("agent", "--kafka-property", "processing.guarantee=at_least_once"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'processing.guarantee' is set by the agent itself");
  }

  @Test
  void aBadLineInTheClientFileIsAUsageErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism\n");
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("agent", "--kafka-config", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(file + " line 2").contains("expected key=value");
  }
}
