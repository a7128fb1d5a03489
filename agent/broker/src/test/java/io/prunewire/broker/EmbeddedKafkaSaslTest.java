package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional SASL_PLAINTEXT listener admits its one user by PLAIN and nobody else. */
class EmbeddedKafkaSaslTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.builder().saslPlain("alice", "alice-secret").start();
    kafka.createTopics("t");
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static Map<String, Object> client(String user, String password) {
    Map<String, Object> c = new HashMap<>();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    c.put("security.protocol", "SASL_PLAINTEXT");
    c.put("sasl.mechanism", "PLAIN");
    c.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return c;
  }

  @Test
  void theConfiguredUserSeesTheTopicsOnTheSaslListener() throws Exception {
    assertThat(kafka.saslBootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
    try (Admin admin = Admin.create(client("alice", "alice-secret"))) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("t");
    }
  }

  @Test
  void aWrongPasswordIsRejectedByAuthentication() {
    try (Admin admin = Admin.create(client("alice", "guess"))) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void credentialsThatCannotBeWrittenIntoAJaasConfigAreRejected() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlain("bad user", "pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL user");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlain("bob", "a\"b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL password of bob");
  }
}
