package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code dashboards/test/live-test.sh}: a real Kafka broker, the agent and Debian's Prometheus
 * on loopback, fed first by a clean DL4J trainer run (every dashboard query must return data other
 * than NaN right after the last decision and again later, no alert active), then by simulated
 * trainers that inject faults; every alert rule must pass {@code promtool test rules}. It needs
 * {@code promtool} and {@code python3-confluent-kafka}, which {@code .ci/run} installs; without
 * them it is skipped and says what to install.
 */
class LiveStackTest {

  private static final long TIMEOUT_MINUTES = 10;

  @Test
  void everyDashboardQueryAndAlertRuleAgainstARealPrometheus() throws Exception {
    assumeTrue(
        onPath("promtool") && onPath("prometheus"),
        "needs Debian's prometheus package (apt-get install -y prometheus); .ci/run installs it");
    assumeTrue(
        run("/usr/bin/python3", "-c", "import confluent_kafka") == 0,
        "needs python3-confluent-kafka (apt-get install -y python3-confluent-kafka); .ci/run installs it");

    Path log = Files.createTempFile("prunewire-live-test", ".log");
    Process p =
        new ProcessBuilder("bash", Repo.path("dashboards/test/live-test.sh").toString())
            .directory(Repo.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertThat(finished).as("live test finished within %d minutes", TIMEOUT_MINUTES).isTrue();
    assertThat(p.exitValue()).as("live-test.sh exit code; its output:%n%s", output).isZero();
    Files.delete(log);
  }

  private static boolean onPath(String command) throws IOException, InterruptedException {
    return run("bash", "-c", "command -v " + command) == 0;
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
