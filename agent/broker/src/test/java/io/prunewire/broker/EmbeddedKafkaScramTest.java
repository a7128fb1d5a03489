package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SCRAM listener admits the users written at format time and nobody else; with the authorizer
 * on, a super user may do anything and any other user only what an ACL allows.
 */
class EmbeddedKafkaScramTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka =
        EmbeddedKafka.builder()
            .saslScram(Map.of("admin", "admin-secret", "bob", "bob-secret"))
            .authorizer("admin")
            .start();
    kafka.createTopics("t");
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static Admin admin(String user, String password) {
    Map<String, Object> c = new HashMap<>(kafka.saslClientProperties(user, password));
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return Admin.create(c);
  }

  @Test
  void theSuperUserSeesTheTopicAndMayGrantAcls() throws Exception {
    assertThat(kafka.saslClientProperties("admin", "x"))
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("security.protocol", "SASL_PLAINTEXT");
    try (Admin admin = admin("admin", "admin-secret")) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("t");
      AclBinding read =
          new AclBinding(
              new ResourcePattern(ResourceType.TOPIC, "granted", PatternType.LITERAL),
              new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.ALLOW));
      admin.createAcls(List.of(read)).all().get(10, TimeUnit.SECONDS);
      assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS))
          .contains(read);
    }
  }

  @Test
  void aUserWithoutAclsAuthenticatesButIsNotAuthorized() {
    try (Admin bob = admin("bob", "bob-secret")) {
      assertThatThrownBy(
              () -> bob.describeTopics(Set.of("t")).allTopicNames().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserAreRejectedByAuthentication() {
    for (String[] login :
        List.of(new String[] {"bob", "guess"}, new String[] {"mallory", "bob-secret"})) {
      try (Admin admin = admin(login[0], login[1])) {
        assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
            .as(login[0])
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }
    }
  }

  @Test
  void oneSaslListenerOnlyAndSuperUsersMustBeNames() {
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().saslPlain("a", "b").saslScram(Map.of("c", "d")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one SASL listener");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslScram(Map.of("c", "d,e")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL password of c");
    assertThatThrownBy(() -> EmbeddedKafka.builder().authorizer("User:admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("super user");
  }
}
