package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * What the ACL set grants, derived from the agent's settings; enforcement is {@code AgentAclTest}.
 */
class PrunewireAclsTest {

  private static final AgentConfig AGENT =
      AgentConfig.builder()
          .stateDir(Path.of("unused"))
          .applicationId("pw-eu")
          .telemetryTopic("eu.telemetry")
          .decisionsTopic("eu.decisions")
          .deadLetterTopic("eu.dead")
          .build();

  @Test
  void grantsFollowTheAgentsApplicationIdAndTopics() {
    PrunewireAcls acls =
        PrunewireAcls.forAgent(AGENT, "agent", List.of("team-a", "team-b"), "trainers-");
    assertThat(acls.grants())
        .filteredOn(g -> g.user().equals("agent"))
        .extracting(g -> g.type() + " " + g.name() + " " + g.pattern() + " " + g.operation())
        .containsExactlyInAnyOrder(
            "TOPIC eu.telemetry LITERAL READ",
            "TOPIC eu.decisions LITERAL WRITE",
            "TOPIC eu.dead LITERAL WRITE",
            "TOPIC eu.telemetry LITERAL CREATE",
            "TOPIC eu.decisions LITERAL CREATE",
            "TOPIC eu.dead LITERAL CREATE",
            "TOPIC pw-eu- PREFIXED ALL",
            "GROUP pw-eu LITERAL READ",
            "TRANSACTIONAL_ID pw-eu- PREFIXED WRITE");
    for (String trainer : List.of("team-a", "team-b")) {
      assertThat(acls.grants())
          .filteredOn(g -> g.user().equals(trainer))
          .extracting(g -> g.type() + " " + g.name() + " " + g.pattern() + " " + g.operation())
          .containsExactlyInAnyOrder(
              "TOPIC eu.telemetry LITERAL WRITE",
              "TOPIC eu.decisions LITERAL READ",
              "GROUP trainers- PREFIXED READ");
    }
    assertThat(acls.bindings())
        .hasSize(acls.grants().size())
        .allSatisfy(
            b -> {
              assertThat(b.entry().host()).isEqualTo("*");
              assertThat(b.entry().principal()).startsWith("User:");
            });
    assertThat(acls.grants()).allSatisfy(g -> assertThat(g.why()).isNotBlank());
  }

  @Test
  void onlyTheAgentMayWriteDecisions() {
    PrunewireAcls acls = PrunewireAcls.forAgent(AGENT, "agent", List.of("t"), "g-");
    assertThat(acls.grants())
        .filteredOn(
            g ->
                g.type() == ResourceType.TOPIC
                    && g.pattern() == PatternType.LITERAL
                    && g.name().equals("eu.decisions")
                    && (g.operation() == AclOperation.WRITE || g.operation() == AclOperation.ALL))
        .extracting(PrunewireAcls.Grant::user)
        .containsExactly("agent");
    assertThatThrownBy(() -> PrunewireAcls.forAgent(AGENT, "agent", List.of("t", "agent"), "g-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be able to write decisions");
  }

  @Test
  void namesThatCannotBePrincipalsOrResourcesAreRefused() {
    assertThatThrownBy(() -> PrunewireAcls.forAgent(AGENT, "User:agent", List.of("t"), "g-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent user");
    assertThatThrownBy(() -> PrunewireAcls.forAgent(AGENT, "agent", List.of(), "g-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> PrunewireAcls.forAgent(AGENT, "agent", List.of("a b"), "g-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainer user");
    assertThatThrownBy(() -> PrunewireAcls.forAgent(AGENT, "agent", List.of("t"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainer group prefix");
  }
}
