package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrunewireAcls} enforced by a KRaft broker: Kafka's {@code StandardAuthorizer} and a
 * SASL_PLAINTEXT listener with SCRAM-SHA-512. Each refusal the ACLs promise happens with Kafka's
 * own exception, each write they allow arrives, and the real agent — Kafka Streams with its
 * consumer group, changelog topics and exactly-once transactions — decides a run under them.
 *
 * <p>The three users are written when the broker's storage is formatted ({@code --add-scram}): they
 * exist before the listener opens, so no login can race their creation. {@code AclsCommandTest}
 * covers the other way, {@code Admin.alterUserScramCredentials} on the running broker, which is
 * what an operator uses.
 */
class AgentAclTest {

  static final String AGENT = "agent";
  static final String TRAINER = "trainer";
  static final Map<String, String> USERS =
      Map.of("admin", "admin-secret", AGENT, "agent-secret", TRAINER, "trainer-secret");

  @RegisterExtension static final SaslBroker broker = SaslBroker.scramWithAcls(USERS, "admin");
  static AgentConfig config;
  static PrunewireAcls acls;
  @TempDir static Path dir;

  @BeforeAll
  static void grantTheAgentsAcls() throws Exception {
    config =
        KafkaTestSupport.config(dir.resolve("state")).kafkaClientProperties(login(AGENT)).build();
    // The dead-letter topic is left to the agent: its start creates it under the CREATE grant.
    broker.kafka().createTopics(config.topics().telemetry(), config.topics().decisions());
    acls =
        PrunewireAcls.forAgent(
            config, AGENT, List.of(TRAINER), PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX);
    grant(acls.bindings());
  }

  static void grant(List<AclBinding> bindings) throws Exception {
    try (Admin admin = admin()) {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      // The broker's authorizer learns them from the metadata log a moment after the controller.
      await("ACLs reach the broker")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .describeAcls(AclBindingFilter.ANY)
                      .values()
                      .get(10, TimeUnit.SECONDS)
                      .containsAll(bindings));
    }
  }

  static Map<String, String> login(String user) {
    return broker.login(user);
  }

  static Admin admin() {
    return broker.admin("admin");
  }

  /**
   * Polls until the consumer throws (what the test expects) or 30 s pass without (the test then
   * fails).
   */
  static void pollUntilRefused(KafkaConsumer<String, byte[]> c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      c.poll(Duration.ofMillis(200));
    }
  }

  static ProducerRecord<String, byte[]> record(String topic, String text) {
    return new ProducerRecord<>(topic, "acl-test", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTrainerWritingADecisionOrADeadLetterIsRefused() {
    try (KafkaProducer<String, byte[]> trainer = broker.producer(login(TRAINER))) {
      for (String topic : List.of(config.topics().decisions(), config.topics().deadLetter())) {
        assertThatThrownBy(() -> trainer.send(record(topic, "forged")).get(30, TimeUnit.SECONDS))
            .as(topic)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(TopicAuthorizationException.class)
            .satisfies(
                e ->
                    assertThat(((TopicAuthorizationException) e).unauthorizedTopics())
                        .containsExactly(topic));
      }
    }
  }

  @Test
  void aTrainerReadingTelemetryOrJoiningTheAgentsGroupIsRefused() {
    try (KafkaConsumer<String, byte[]> trainer = broker.consumer(login(TRAINER), null)) {
      trainer.assign(List.of(new TopicPartition(config.topics().telemetry(), 0)));
      trainer.seekToBeginning(trainer.assignment());
      assertThatThrownBy(() -> pollUntilRefused(trainer))
          .isInstanceOf(TopicAuthorizationException.class)
          .satisfies(
              e ->
                  assertThat(((TopicAuthorizationException) e).unauthorizedTopics())
                      .containsExactly(config.topics().telemetry()));
    }
    // Decisions it may read, but not as a member of the agent's consumer group.
    try (KafkaConsumer<String, byte[]> trainer =
        broker.consumer(login(TRAINER), config.applicationId())) {
      trainer.subscribe(List.of(config.topics().decisions()));
      assertThatThrownBy(() -> pollUntilRefused(trainer))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  @Test
  void anUnknownUserAndAWrongPasswordFailAuthentication() {
    for (Map<String, String> login :
        List.of(
            broker.login("mallory", USERS.get(TRAINER)), broker.login(TRAINER, "agent-secret"))) {
      try (KafkaProducer<String, byte[]> p = broker.producer(login)) {
        assertThatThrownBy(
                () -> p.send(record(config.topics().telemetry(), "x")).get(30, TimeUnit.SECONDS))
            .as(login.get("sasl.jaas.config"))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(SaslAuthenticationException.class);
      }
    }
  }

  @Test
  void theAgentMayWriteADecisionAndATrainerReadsIt() throws Exception {
    String text = "decision-" + System.nanoTime();
    try (KafkaProducer<String, byte[]> agent = broker.producer(login(AGENT))) {
      agent.send(record(config.topics().decisions(), text)).get(30, TimeUnit.SECONDS);
    }
    assertThat(broker.read(login(TRAINER), config.topics().decisions(), rs -> contains(rs, text)))
        .isNotEmpty();
  }

  @Test
  void aTrainerMayWriteTelemetryAndTheAgentReadsIt() throws Exception {
    SimulatedTrainer other = new SimulatedTrainer("acl-probe-" + System.nanoTime(), "t1", 1, 4);
    byte[] started = EventCodec.encode(other.started());
    try (KafkaProducer<String, byte[]> trainer = broker.producer(login(TRAINER))) {
      trainer
          .send(new ProducerRecord<>(config.topics().telemetry(), other.runId, started))
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(
            broker.read(
                login(AGENT),
                config.topics().telemetry(),
                rs -> rs.stream().anyMatch(r -> Arrays.equals(r.value(), started))))
        .isNotEmpty();
  }

  @Test
  void theAgentDecidesARunUnderTheseAcls() throws Exception {
    SimulatedTrainer t = new SimulatedTrainer("run-acl", "t1", 1, 12);
    try (PrunewireAgent agent = PrunewireAgent.start(broker.bootstrapServers(), config)) {
      DecisionEvent c1 = broker.decideFirstCheckpoint(config, t, login(TRAINER));
      assertThat(c1.checkpointId()).isEqualTo("c1");
      assertThat(c1.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
          .isEqualTo(24 - 6);
    }
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .as("the agent created the dead-letter topic and its changelogs")
          .contains(config.topics().deadLetter())
          .anyMatch(
              name -> name.startsWith(config.applicationId() + "-") && name.endsWith("-changelog"));
    }
  }

  @Test
  void withoutCreateGrantsTheAgentAcceptsTopicsCreatedBeforehandAndNamesAMissingOne()
      throws Exception {
    AgentConfig restricted = broker.config(dir.resolve("restricted"), "r", login(AGENT));
    grant(
        PrunewireAcls.forAgent(
                restricted, AGENT, List.of(TRAINER), PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX)
            .grants()
            .stream()
            .filter(g -> g.operation() != AclOperation.CREATE)
            .map(PrunewireAcls.Grant::binding)
            .toList());
    broker.kafka().createTopics("r.telemetry", "r.decisions");
    assertThatThrownBy(() -> TopicSetup.ensure(broker.bootstrapServers(), restricted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not let the agent create")
        .hasMessageContaining("r.dead-letter")
        .hasMessageContaining("create them beforehand");
    broker.kafka().createTopics("r.dead-letter");
    TopicSetup.ensure(broker.bootstrapServers(), restricted); // all three exist: no error
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .contains("r.telemetry", "r.decisions", "r.dead-letter");
    }
  }

  private static boolean contains(List<ConsumerRecord<String, byte[]>> records, String text) {
    return records.stream()
        .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals(text));
  }
}
