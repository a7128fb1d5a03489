package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.Topics;
import io.prunewire.service.AgentConfig;
import java.util.Locale;
import java.util.Map;

/** Checks shared by every file that configures the agent through PRUNEWIRE_* variables. */
final class AgentEnvironment {

  private AgentEnvironment() {}

  /**
   * Every variable is a key the agent reads (the agent ignores unknown PRUNEWIRE_* variables, so a
   * typo would silently fall back to a default), the values resolve, and the result serves outside
   * the container on the default topics.
   *
   * @return the configuration the agent would run with
   */
  static AgentConfig check(String source, Map<String, String> env) {
    for (String name : env.keySet()) {
      assertThat(name).as("%s: variable name", source).startsWith(AgentConfig.ENV_PREFIX);
      String key =
          name.substring(AgentConfig.ENV_PREFIX.length())
              .toLowerCase(Locale.ROOT)
              .replace('_', '.');
      assertThat(AgentConfig.keys())
          .as("%s: %s is not an agent setting", source, name)
          .contains(key);
    }
    AgentConfig config = Repo.agentConfig(env);
    assertThat(config.metricsBind())
        .as("%s: endpoints must be reachable from outside the container", source)
        .isEqualTo("0.0.0.0");
    assertThat(config.topics().telemetry())
        .as("%s: telemetry topic", source)
        .isEqualTo(Topics.TELEMETRY);
    assertThat(config.topics().decisions())
        .as("%s: decisions topic", source)
        .isEqualTo(Topics.DECISIONS);
    assertThat(config.topics().deadLetter())
        .as("%s: dead-letter topic", source)
        .isEqualTo(Topics.DEAD_LETTER);
    return config;
  }
}
