package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/AGENT.md lists every metric a dashboard panel, annotation or alert rule uses, so the two
 * cannot drift. The names come from {@code dashboards/test/promql_names.py}, the extraction the
 * live test uses; a histogram's {@code _bucket}, {@code _sum} and {@code _count} series are
 * documented under the histogram's name.
 */
class MetricsDocumentedTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void agentDocsListEveryMetricTheDashboardsAndRulesUse() throws Exception {
    assumeTrue(
        Files.isExecutable(PYTHON), "needs /usr/bin/python3 (dashboards/test/promql_names.py)");
    Process p =
        new ProcessBuilder(
                PYTHON.toString(), Repo.path("dashboards/test/promql_names.py").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promql_names.py finished").isTrue();
    assertThat(p.exitValue()).as("promql_names.py:%n%s", output).isZero();
    List<String> names = output.lines().filter(l -> !l.isBlank()).toList();
    assertThat(names)
        .as("metrics the dashboards use")
        .contains("prunewire_trainer_training_loss", "up");

    String docs = Repo.text("docs/AGENT.md");
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      String base = name.replaceFirst("_(bucket|sum|count)$", "");
      if (!docs.contains("`" + name + "`")
          && !docs.contains("`" + name + "{")
          && !docs.contains("`" + base + "`")
          && !docs.contains("`" + base + "{")) {
        missing.add(name);
      }
    }
    assertThat(missing)
        .as("metrics used by dashboards or rules but not listed in docs/AGENT.md")
        .isEmpty();
  }
}
