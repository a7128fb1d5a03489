package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.service.AgentConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile against the launcher's build output and the agent's settings. */
class DockerfileConsistencyTest {

  private final String dockerfile = Repo.text("deploy/Dockerfile");
  private final String launcher = Repo.text("prunewire");

  @Test
  void copiesWhatTheLauncherBuildsAndRunsItsMainClass() {
    String jar = launcherPath("JAR");
    String lib = launcherPath("LIB");
    List<String> sources = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+$").matcher(dockerfile);
    while (copy.find()) {
      sources.add(copy.group(1).replaceAll("/$", ""));
    }
    assertThat(sources).containsExactlyInAnyOrder(jar, lib);
    String ignore = Repo.text("deploy/Dockerfile.dockerignore");
    assertThat(ignore).contains("!" + jar + "\n", "!" + lib + "/\n");

    Matcher main = Pattern.compile("io\\.prunewire\\.cli\\.\\w+").matcher(launcher);
    assertThat(main.find()).as("main class in the launcher").isTrue();
    assertThat(dockerfile).contains("\"" + main.group() + "\"]");
  }

  @Test
  void environmentIsValidAgentConfigurationAndThePortIsExposed() {
    Map<String, String> env = new LinkedHashMap<>();
    String instructions = dockerfile.replaceAll("(?m)^#.*$", "");
    Matcher m = Pattern.compile("(PRUNEWIRE_[A-Z_]+)=(\\S+)").matcher(instructions);
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    assertThat(env).isNotEmpty();
    AgentConfig config = AgentEnvironment.check("Dockerfile", env);
    assertThat(dockerfile).containsPattern("(?m)^EXPOSE " + config.metricsPort() + "$");
    assertThat(dockerfile).containsPattern("(?m)^CMD \\[\"agent\"\\]$");
  }

  /** A path the launcher script defines as {@code NAME="$ROOT/relative"}. */
  private String launcherPath(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=\"\\$ROOT/([^\"]+)\"$").matcher(launcher);
    assertThat(m.find()).as("%s= in the prunewire launcher", name).isTrue();
    return m.group(1);
  }
}
