package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAcls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/README.md's "Kafka with ACLs" is what an operator follows, so it must not drift from the
 * code: every file of deploy/kafka/ is explained there and every one it names exists, its table of
 * grants lists each ACL {@code prunewire acls} creates by default, and every link to the section
 * resolves.
 */
class KafkaAclDocsTest {

  static final String HEADING = "### Kafka with ACLs";

  static String section() {
    String readme = Repo.text("deploy/README.md");
    int start = readme.indexOf("\n" + HEADING + "\n");
    assertThat(start).as("deploy/README.md has the section '%s'", HEADING).isNotNegative();
    int end = readme.indexOf("\n### ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void everyDeployKafkaFileIsExplainedAndEveryNamedOneExists() throws IOException {
    String section = section();
    try (Stream<Path> files = Files.list(Repo.path("deploy/kafka"))) {
      files
          .map(f -> "deploy/kafka/" + f.getFileName())
          .forEach(f -> assertThat(section).as("names " + f).contains("`" + f + "`"));
    }
    Matcher named = Pattern.compile("deploy/kafka/[A-Za-z0-9._-]+").matcher(section);
    int count = 0;
    while (named.find()) {
      Repo.path(named.group());
      count++;
    }
    assertThat(count).isGreaterThanOrEqualTo(7);
  }

  @Test
  void theTableListsEveryGrantOfTheDefaultAcls() throws IOException {
    List<String> rows = section().lines().filter(l -> l.startsWith("| `User:")).toList();
    PrunewireAcls acls =
        PrunewireAcls.forAgent(
            AgentConfig.resolve(Optional.empty(), Map.of(), Map.of()),
            "prunewire-agent",
            List.of("prunewire-trainer"),
            PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX);
    for (PrunewireAcls.Grant g : acls.grants()) {
      String op =
          g.operation().name().charAt(0)
              + g.operation().name().substring(1).toLowerCase(Locale.ROOT);
      assertThat(rows)
          .as("a row for %s", g)
          .anyMatch(
              r ->
                  r.startsWith("| `" + g.principal() + "` |")
                      && r.contains("`" + g.name() + "`")
                      && r.contains(g.type().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                      && r.contains("| " + op + " |"));
    }
    assertThat(rows)
        .as("no row for a grant that does not exist")
        .hasSizeLessThanOrEqualTo(acls.grants().size());
  }

  @Test
  void everyReferenceToTheSectionResolves() {
    assertThat(section()).isNotEmpty();
    for (String doc : List.of("README.md", "docs/AGENT.md")) {
      assertThat(Repo.text(doc)).as(doc).contains("deploy/README.md#kafka-with-acls");
    }
    for (String file :
        List.of(
            "deploy/kafka/server.properties",
            "agent/cli/src/main/java/io/prunewire/cli/AclsCommand.java",
            "agent/service/src/main/java/io/prunewire/service/TopicSetup.java")) {
      assertThat(Repo.text(file)).as(file).contains("deploy/README.md").contains("Kafka with ACLs");
    }
  }
}
