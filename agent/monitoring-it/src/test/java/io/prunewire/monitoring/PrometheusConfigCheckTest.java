package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check config} on the Prometheus configurations of deploy/. Debian's Prometheus is
 * built without Kubernetes discovery, so the Kubernetes configuration is checked structurally by
 * {@link KubernetesConsistencyTest} instead.
 */
class PrometheusConfigCheckTest {

  @Test
  void composeConfigurationPassesPromtool() throws Exception {
    assertThat(promtoolCheckConfig(Repo.path("deploy/prometheus/prometheus.yml")))
        .contains("SUCCESS");
  }

  @Test
  void localStackConfigurationPassesPromtool(@TempDir Path dir) throws Exception {
    Path rules =
        Files.copy(
            Repo.path("dashboards/prometheus/prunewire-alerts.yml"), dir.resolve("rules.yml"));
    String rendered =
        Repo.text("deploy/local/prometheus.yml.in")
            .replace("@SCRAPE_INTERVAL@", "15s")
            .replace("@AGENT_PORT@", "9404")
            .replace("@TRAINER_PORT@", "9405")
            .replace("@RULES@", rules.toString());
    Path config = Files.writeString(dir.resolve("prometheus.yml"), rendered);
    assertThat(promtoolCheckConfig(config)).contains("SUCCESS").contains("rules found");
  }

  /** Runs promtool; fails with its output unless it accepts the file. */
  private static String promtoolCheckConfig(Path config) throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "needs Debian's prometheus package (apt-get install -y prometheus); .ci/run installs it");
    Process p =
        new ProcessBuilder("/usr/bin/promtool", "check", "config", config.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("promtool check config %s:%n%s", config, output).isZero();
    return output;
  }
}
