package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunewire.protocol.Topics;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/local (the no-Docker stack the live test runs) against the code and the rules. */
class LocalStackConsistencyTest {

  @Test
  void prometheusTemplateScrapesTheRulesJobAndLoadsTheRules() {
    String template =
        Repo.text("deploy/local/prometheus.yml.in")
            .replace("@SCRAPE_INTERVAL@", "1s")
            .replace("@AGENT_PORT@", "9404")
            .replace("@TRAINER_PORT@", "9405")
            .replace("@RULES@", "/rules.yml");
    JsonNode config = Repo.yamlDocumentsOf(template, "deploy/local/prometheus.yml.in").get(0);
    JsonNode job = PrometheusConfigs.agentJob(config);
    assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("127.0.0.1:9404");
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("/rules.yml");
    JsonNode trainer = PrometheusConfigs.trainerJob(config);
    assertThat(trainer.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("127.0.0.1:9405");
    assertThat(Repo.text("deploy/local/stack.sh"))
        .contains("dashboards/prometheus/prunewire-alerts.yml");
  }

  @Test
  void simulatedTrainerDefaultsToTheProtocolTopics() {
    String trainer = Repo.text("deploy/local/simulated_trainer.py");
    assertThat(defaultOf(trainer, "--telemetry-topic")).isEqualTo(Topics.TELEMETRY);
    assertThat(defaultOf(trainer, "--decisions-topic")).isEqualTo(Topics.DECISIONS);
  }

  @Test
  void stackRunsTheLauncherCommandsWithFlagsTheyDeclare() {
    String stack = Repo.text("deploy/local/stack.sh");
    assertThat(stack).contains("\"$ROOT/prunewire\" broker --port \"$KAFKA_PORT\" --data-dir ");
    assertThat(stack)
        .contains(
            "\"$ROOT/prunewire\" agent --bootstrap-servers \"$bootstrap\" --metrics-port \"$AGENT_PORT\"");
    assertThat(stack).contains("http://127.0.0.1:$AGENT_PORT/ready");
    assertThat(stack)
        .contains(
            "exec \"$ROOT/prunewire\" train \\\n    --bootstrap-servers \"$(cat \"$DIR/bootstrap.servers\")\" --metrics-port \"$TRAINER_PORT\"");
  }

  private static String defaultOf(String python, String flag) {
    Matcher m =
        Pattern.compile("add_argument\\('" + Pattern.quote(flag) + "', default='([^']+)'\\)")
            .matcher(python);
    assertThat(m.find()).as("default of %s", flag).isTrue();
    return m.group(1);
  }
}
