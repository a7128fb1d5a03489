package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scrape jobs every Prometheus configuration must define: the agent's, for the alert rules to
 * apply, and the trainers', for the dashboards' trainer panels.
 */
final class PrometheusConfigs {

  /** The trainers' job (deploy/local, compose, Kubernetes, and the live test's {@code --job}). */
  static final String TRAINER_JOB = "prunewire-trainer";

  private static final Pattern JOB = Pattern.compile("job=\"([^\"]+)\"");

  private PrometheusConfigs() {}

  /** The job name the alert rules select ({@code up{job="..."}}). */
  static String ruleJob() {
    List<String> jobs = new ArrayList<>();
    Matcher m = JOB.matcher(Repo.text("dashboards/prometheus/prunewire-alerts.yml"));
    while (m.find()) {
      jobs.add(m.group(1));
    }
    assertThat(jobs).as("job selectors in the alert rules").isNotEmpty();
    assertThat(jobs).as("one job name in the alert rules").containsOnly(jobs.get(0));
    return jobs.get(0);
  }

  /** The scrape config of the agent job in a Prometheus configuration; fails if absent. */
  static JsonNode agentJob(JsonNode prometheusConfig) {
    return job(prometheusConfig, ruleJob());
  }

  /** The scrape config of the trainers' job; fails if absent. */
  static JsonNode trainerJob(JsonNode prometheusConfig) {
    return job(prometheusConfig, TRAINER_JOB);
  }

  /** The scrape config of job {@code job}, scraping {@code /metrics}; fails if absent. */
  static JsonNode job(JsonNode prometheusConfig, String job) {
    for (JsonNode c : prometheusConfig.path("scrape_configs")) {
      if (c.path("job_name").asText().equals(job)) {
        assertThat(c.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        return c;
      }
    }
    throw new AssertionError("no scrape job '" + job + "' in " + prometheusConfig);
  }
}
