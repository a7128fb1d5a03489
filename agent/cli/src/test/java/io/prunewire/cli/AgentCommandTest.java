package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.service.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
    assertThat(help).contains("/metrics").contains("/health").contains("/ready")
        .contains("--bootstrap-servers").contains("--metrics-port").contains("--bind")
        .contains("--config").contains("PRUNEWIRE_");
  }
}
