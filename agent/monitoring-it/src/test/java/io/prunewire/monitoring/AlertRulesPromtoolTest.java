package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check rules} on the alert rules and {@code promtool test rules} on every {@code
 * dashboards/prometheus/*_test.yml}: each alert fires on a bad series and stays quiet on a healthy
 * one. Seconds, without a running Prometheus (the live test runs them too). Panel queries whose
 * meaning is easy to get wrong are evaluated by promtool on series of known values, taken from the
 * dashboard itself so that the test follows the panel.
 */
class AlertRulesPromtoolTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void rulesLoadAndEveryUnitTestPasses() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMTOOL),
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

  @Test
  void theRunsHeldAndRetiredPanelAnswersFromTheAgentsSeries(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(PROMTOOL),
        "needs Debian's prometheus package for promtool (apt-get install -y prometheus); .ci/run installs it");
    List<String> exprs = panelQueries("prunewire-operations.json", "Runs held and retired");
    assertThat(exprs).hasSize(3);
    // Two agents, a partition each, the same max.active.runs; agent-0 retired two runs by minute 4.
    String series =
        """
          - series: 'prunewire_active_runs{job="prunewire-agent", instance="agent-0:9404", partition="0"}'
            values: '1 2 3 3 3'
          - series: 'prunewire_active_runs{job="prunewire-agent", instance="agent-1:9404", partition="1"}'
            values: '2x4'
          - series: 'prunewire_max_active_runs{job="prunewire-agent", instance="agent-0:9404"}'
            values: '256x4'
          - series: 'prunewire_max_active_runs{job="prunewire-agent", instance="agent-1:9404"}'
            values: '256x4'
          - series: 'prunewire_runs_retired_total{job="prunewire-agent", instance="agent-0:9404"}'
            values: '0 0 1 1 2'
          - series: 'prunewire_runs_retired_total{job="prunewire-agent", instance="agent-1:9404"}'
            values: '0x4'
    """;
    List<String> expected =
        List.of(
            sample("{partition=\"0\"}", 3) + sample("{partition=\"1\"}", 2),
            sample("{}", 256),
            sample("{instance=\"agent-0:9404\"}", 2) + sample("{instance=\"agent-1:9404\"}", 0));
    StringBuilder test =
        new StringBuilder("tests:\n  - interval: 1m\n    input_series:\n")
            .append(series)
            .append("    promql_expr_test:\n");
    for (int i = 0; i < exprs.size(); i++) {
      test.append("      - expr: '")
          .append(exprs.get(i).replace("'", "''"))
          .append("'\n")
          .append("        eval_time: 4m\n        exp_samples:\n")
          .append(expected.get(i));
    }
    Files.writeString(dir.resolve("panel_test.yml"), test);
    assertThat(promtool(dir, "test", "rules", "panel_test.yml")).contains("SUCCESS");
  }

  private static String sample(String labels, int value) {
    return "          - labels: '" + labels + "'\n            value: " + value + "\n";
  }

  /** The query of each target of the panel titled {@code title}, in the dashboard's order. */
  private static List<String> panelQueries(String dashboard, String title) {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel :
        Repo.json(Repo.path("dashboards/grafana/dashboards/" + dashboard)).path("panels")) {
      if (panel.path("title").asText().equals(title)) {
        panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
      }
    }
    return exprs;
  }

  /** Runs promtool in {@code dir}; fails with its output unless it exits 0. */
  private static String promtool(Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList();
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", command, output).isZero();
    return output;
  }
}
