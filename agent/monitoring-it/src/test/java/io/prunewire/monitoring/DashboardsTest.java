package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Structure of the Grafana dashboards and the alert rules (the live test checks that their queries
 * return data; this one that they are well-formed and follow the conventions).
 */
class DashboardsTest {

  private static final String DATASOURCE = "${datasource}";

  @Test
  void dashboardsHaveUniqueUidsDatasourceAndRunVariablesAndUseEveryVariable() throws IOException {
    Set<String> uids = new HashSet<>();
    for (Path file : dashboards()) {
      JsonNode board = Repo.json(file);
      assertThat(uids.add(board.path("uid").asText())).as("unique uid in %s", file).isTrue();
      assertThat(board.path("title").asText()).as("title of %s", file).isNotEmpty();
      JsonNode vars = board.path("templating").path("list");
      assertThat(variable(vars, "datasource").path("type").asText()).isEqualTo("datasource");
      assertThat(variable(vars, "datasource").path("query").asText()).isEqualTo("prometheus");
      variable(vars, "run");
      String queries = queries(board);
      for (JsonNode v : vars) {
        String name = v.path("name").asText();
        if (name.equals("datasource")) {
          continue;
        }
        assertThat(v.path("type").asText()).as("%s: $%s", file, name).isEqualTo("query");
        assertThat(v.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
        assertThat(v.path("definition").asText())
            .startsWith("label_values(")
            .endsWith(", " + name + ")");
        assertThat(queries).as("%s: a query uses $%s", file, name).contains("$" + name);
      }
    }
    assertThat(uids).hasSizeGreaterThanOrEqualTo(3);
  }

  /** Every panel query and annotation expression of a dashboard, one a line. */
  private static String queries(JsonNode board) {
    StringBuilder all = new StringBuilder();
    board
        .path("panels")
        .forEach(
            p -> p.path("targets").forEach(t -> all.append(t.path("expr").asText()).append('\n')));
    board
        .path("annotations")
        .path("list")
        .forEach(a -> all.append(a.path("expr").asText()).append('\n'));
    return all.toString();
  }

  @Test
  void everyPanelQueriesTheSelectedDatasourceAndFitsTheGrid() throws IOException {
    for (Path file : dashboards()) {
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Repo.json(file).path("panels")) {
        String where = file.getFileName() + " / " + panel.path("title").asText();
        assertThat(ids.add(panel.path("id").asInt())).as("unique id: %s", where).isTrue();
        JsonNode grid = panel.path("gridPos");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt())
            .as("width: %s", where)
            .isBetween(1, 24);
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("description").asText()).as("description: %s", where).isNotBlank();
        assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE);
        assertThat(panel.path("targets")).as("queries: %s", where).isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as("expr: %s", where).isNotBlank();
          assertThat(target.path("datasource").path("uid").asText())
              .as(where)
              .isEqualTo(DATASOURCE);
        }
      }
    }
  }

  @Test
  void everyAlertFollowsTheConventionsAndHasAUnitTest() {
    JsonNode rules = Repo.yaml("dashboards/prometheus/prunewire-alerts.yml");
    String tests = Repo.text("dashboards/prometheus/prunewire-alerts_test.yml");
    Set<String> tested = new HashSet<>();
    Repo.yaml("dashboards/prometheus/prunewire-alerts_test.yml")
        .path("tests")
        .forEach(
            t ->
                t.path("alert_rule_test")
                    .forEach(
                        a -> {
                          if (!a.path("exp_alerts").isEmpty()) {
                            tested.add(a.path("alertname").asText());
                          }
                        }));
    int alerts = 0;
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        alerts++;
        assertThat(name).as("CamelCase alert name").matches("[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+");
        assertThat(rule.path("for").asText()).as("%s: for", name).matches("\\d+[smh]");
        assertThat(rule.path("labels").path("severity").asText())
            .as("%s: severity", name)
            .isIn("critical", "warning", "info");
        assertThat(rule.path("annotations").path("summary").asText())
            .as("%s: summary", name)
            .isNotBlank();
        assertThat(rule.path("annotations").path("description").asText())
            .as("%s: description", name)
            .isNotBlank();
        assertThat(tested).as("%s fires in a promtool unit test", name).contains(name);
      }
    }
    assertThat(alerts).isEqualTo(10);
    assertThat(tests).contains("rule_files:\n  - prunewire-alerts.yml");
  }

  @Test
  void trainerPanelsQuerySeriesThatEveryDeploymentScrapesFromTrainers() throws IOException {
    int trainerQueries = 0;
    for (Path file : dashboards()) {
      for (JsonNode panel : Repo.json(file).path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText();
          if (expr.contains("prunewire_trainer_") || expr.contains("resilience4j_")) {
            trainerQueries++;
            assertThat(expr)
                .as(
                    "%s: trainer series come from job %s",
                    panel.path("title").asText(), PrometheusConfigs.TRAINER_JOB)
                .doesNotContain("job=\"" + PrometheusConfigs.ruleJob() + "\"");
          }
        }
      }
    }
    assertThat(trainerQueries).isGreaterThanOrEqualTo(3);
    String local =
        Repo.text("deploy/local/prometheus.yml.in")
            .replace("@SCRAPE_INTERVAL@", "15s")
            .replace("@AGENT_PORT@", "9404")
            .replace("@TRAINER_PORT@", "9405")
            .replace("@RULES@", "/rules.yml");
    JsonNode k8s = Repo.yamlDocuments("deploy/k8s/prometheus-scrape.yaml").get(0);
    for (JsonNode config :
        List.of(
            Repo.yaml("deploy/prometheus/prometheus.yml"),
            Repo.yamlDocumentsOf(local, "deploy/local/prometheus.yml.in").get(0),
            Repo.yamlDocumentsOf(
                    k8s.path("data").path("prometheus.yml").asText(),
                    "deploy/k8s/prometheus-scrape.yaml")
                .get(0))) {
      PrometheusConfigs.trainerJob(config);
    }
    assertThat(Repo.text("dashboards/test/live-test.sh"))
        .contains("--job " + PrometheusConfigs.TRAINER_JOB);
  }

  private static JsonNode variable(JsonNode vars, String name) {
    for (JsonNode v : vars) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no template variable $" + name);
  }

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(Repo.path("dashboards/grafana/dashboards"))) {
      List<Path> list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(list).isNotEmpty();
      return list;
    }
  }
}
