package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check rules} on the alert rules and {@code promtool test rules} on every
 * {@code dashboards/prometheus/*_test.yml}: each alert fires on a bad series and stays quiet on a
 * healthy one. Seconds, without a running Prometheus (the live test runs them too).
 */
class AlertRulesPromtoolTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void rulesLoadAndEveryUnitTestPasses() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL),
        "needs Debian's prometheus package for promtool (apt-get install -y prometheus); .ci/run installs it");
    Path dir = Repo.path("dashboards/prometheus");
    assertThat(promtool(dir, "check", "rules", "prunewire-alerts.yml")).contains("SUCCESS");
    List<Path> tests;
    try (Stream<Path> files = Files.list(dir)) {
      tests = files.filter(f -> f.getFileName().toString().endsWith("_test.yml")).sorted().toList();
    }
    assertThat(tests).isNotEmpty();
    for (Path test : tests) {
      assertThat(promtool(dir, "test", "rules", test.getFileName().toString())).contains("SUCCESS");
    }
  }

  /** Runs promtool in {@code dir}; fails with its output unless it exits 0. */
  private static String promtool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList();
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", command, output).isZero();
    return output;
  }
}
