package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrunewireAcls} enforced by a KRaft broker: Kafka's {@code StandardAuthorizer} and a
 * SASL_PLAINTEXT listener with SCRAM-SHA-512. Each refusal the ACLs promise happens with Kafka's own
 * exception, each write they allow arrives, and the real agent — Kafka Streams with its consumer
 * group, changelog topics and exactly-once transactions — decides a run under them.
 *
 * <p>The three users are written when the broker's storage is formatted ({@code --add-scram}): they
 * exist before the listener opens, so no login can race their creation. {@code AclsCommandTest}
 * covers the other way, {@code Admin.alterUserScramCredentials} on the running broker, which is what
 * an operator uses.
 */
class AgentAclTest {

  static final String AGENT = "agent";
  static final String TRAINER = "trainer";
  static final Map<String, String> USERS =
      Map.of("admin", "admin-secret", AGENT, "agent-secret", TRAINER, "trainer-secret");

  static EmbeddedKafka kafka;
  static AgentConfig config;
  static PrunewireAcls acls;
  @TempDir static Path dir;

  @BeforeAll
  static void startBrokerWithAcls() throws Exception {
    kafka = EmbeddedKafka.builder().saslScram(USERS).authorizer("admin").start();
    config = KafkaTestSupport.config(dir.resolve("state"))
        .kafkaClientProperties(login(AGENT)).build();
    // The dead-letter topic is left to the agent: its start creates it under the CREATE grant.
    kafka.createTopics(config.telemetryTopic(), config.decisionsTopic());
    acls = PrunewireAcls.forAgent(config, AGENT, List.of(TRAINER), PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX);
    grant(acls.bindings());
  }

  static void grant(List<AclBinding> bindings) throws Exception {
    try (Admin admin = admin()) {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      // The broker's authorizer learns them from the metadata log a moment after the controller.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).containsAll(bindings)) {
        assertThat(System.nanoTime()).as("ACLs reach the broker").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  static Map<String, String> login(String user) {
    return kafka.saslClientProperties(user, USERS.get(user));
  }

  static Admin admin() {
    Map<String, Object> c = new HashMap<>(login("admin"));
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
    return Admin.create(c);
  }

  /** A producer that gives up within seconds: a refused send must fail the test, not hang it. */
  static KafkaProducer<String, byte[]> producer(Map<String, String> login) {
    Map<String, String> c = new HashMap<>(login);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    return KafkaTestSupport.producer(kafka.saslBootstrapServers(), c);
  }

  /** A consumer without a group, as trainers read decisions (PROTOCOL.md), unless {@code group} is given. */
  static KafkaConsumer<String, byte[]> consumer(Map<String, String> login, String group) {
    Map<String, Object> c = new HashMap<>(login);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    if (group != null) {
      c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Reads partition 0 of {@code topic} from the start as {@code login} until {@code done} holds. */
  static List<ConsumerRecord<String, byte[]>> read(Map<String, String> login, String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KafkaConsumer<String, byte[]> c = consumer(login, null)) {
      TopicPartition p = new TopicPartition(topic, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      while (!done.test(records)) {
        assertThat(System.nanoTime()).as("reading %s: %d records so far", topic, records.size()).isLessThan(deadline);
        c.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Polls until the consumer throws (what the test expects) or 30 s pass without (the test then fails). */
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
    try (KafkaProducer<String, byte[]> trainer = producer(login(TRAINER))) {
      for (String topic : List.of(config.decisionsTopic(), config.deadLetterTopic())) {
        assertThatThrownBy(() -> trainer.send(record(topic, "forged")).get(30, TimeUnit.SECONDS)).as(topic)
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(TopicAuthorizationException.class)
            .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics()).containsExactly(topic));
      }
    }
  }

  @Test
  void aTrainerReadingTelemetryOrJoiningTheAgentsGroupIsRefused() {
    try (KafkaConsumer<String, byte[]> trainer = consumer(login(TRAINER), null)) {
      trainer.assign(List.of(new TopicPartition(config.telemetryTopic(), 0)));
      trainer.seekToBeginning(trainer.assignment());
      assertThatThrownBy(() -> pollUntilRefused(trainer)).isInstanceOf(TopicAuthorizationException.class)
          .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics())
              .containsExactly(config.telemetryTopic()));
    }
    // Decisions it may read, but not as a member of the agent's consumer group.
    try (KafkaConsumer<String, byte[]> trainer = consumer(login(TRAINER), config.applicationId())) {
      trainer.subscribe(List.of(config.decisionsTopic()));
      assertThatThrownBy(() -> pollUntilRefused(trainer)).isInstanceOf(GroupAuthorizationException.class);
    }
  }

  @Test
  void anUnknownUserAndAWrongPasswordFailAuthentication() {
    for (Map<String, String> login : List.of(kafka.saslClientProperties("mallory", USERS.get(TRAINER)),
        kafka.saslClientProperties(TRAINER, "agent-secret"))) {
      try (KafkaProducer<String, byte[]> p = producer(login)) {
        assertThatThrownBy(() -> p.send(record(config.telemetryTopic(), "x")).get(30, TimeUnit.SECONDS))
            .as(login.get("sasl.jaas.config")).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(SaslAuthenticationException.class);
      }
    }
  }

  @Test
  void theAgentMayWriteADecisionAndATrainerReadsIt() throws Exception {
    String text = "decision-" + System.nanoTime();
    try (KafkaProducer<String, byte[]> agent = producer(login(AGENT))) {
      agent.send(record(config.decisionsTopic(), text)).get(30, TimeUnit.SECONDS);
    }
    assertThat(read(login(TRAINER), config.decisionsTopic(), rs -> contains(rs, text))).isNotEmpty();
  }

  @Test
  void aTrainerMayWriteTelemetryAndTheAgentReadsIt() throws Exception {
    SimulatedTrainer other = new SimulatedTrainer("acl-probe-" + System.nanoTime(), "t1", 1, 4);
    byte[] started = EventCodec.encode(other.started());
    try (KafkaProducer<String, byte[]> trainer = producer(login(TRAINER))) {
      trainer.send(new ProducerRecord<>(config.telemetryTopic(), other.runId, started)).get(30, TimeUnit.SECONDS);
    }
    assertThat(read(login(AGENT), config.telemetryTopic(),
        rs -> rs.stream().anyMatch(r -> Arrays.equals(r.value(), started)))).isNotEmpty();
  }

  @Test
  void theAgentDecidesARunUnderTheseAcls() throws Exception {
    SimulatedTrainer t = new SimulatedTrainer("run-acl", "t1", 1, 12);
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.saslBootstrapServers(), config)) {
      List<Event> events = t.untilFirstCheckpoint();
      try (KafkaProducer<String, byte[]> trainer = producer(login(TRAINER))) {
        events.forEach(e -> send(trainer, config.telemetryTopic(), e));
      }
      List<ConsumerRecord<String, byte[]>> decisions = read(login(TRAINER), config.decisionsTopic(),
          rs -> rs.stream().anyMatch(AgentAclTest::isDecisionOfRunAcl));
      DecisionEvent c1 = (DecisionEvent) EventCodec.decode(
          decisions.stream().filter(AgentAclTest::isDecisionOfRunAcl).findFirst().orElseThrow().value());
      assertThat(c1.checkpointId()).isEqualTo("c1");
      assertThat(c1.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum()).isEqualTo(24 - 6);
    }
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .as("the agent created the dead-letter topic and its changelogs")
          .contains(config.deadLetterTopic())
          .anyMatch(name -> name.startsWith(config.applicationId() + "-") && name.endsWith("-changelog"));
    }
  }

  @Test
  void withoutCreateGrantsTheAgentAcceptsTopicsCreatedBeforehandAndNamesAMissingOne() throws Exception {
    AgentConfig restricted = KafkaTestSupport.config(dir.resolve("restricted")).telemetryTopic("r.telemetry")
        .decisionsTopic("r.decisions").deadLetterTopic("r.dead-letter").kafkaClientProperties(login(AGENT)).build();
    grant(PrunewireAcls.forAgent(restricted, AGENT, List.of(TRAINER), PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX)
        .grants().stream().filter(g -> g.operation() != AclOperation.CREATE).map(PrunewireAcls.Grant::binding).toList());
    kafka.createTopics("r.telemetry", "r.decisions");
    assertThatThrownBy(() -> Topics.ensure(kafka.saslBootstrapServers(), restricted))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not let the agent create")
        .hasMessageContaining("r.dead-letter").hasMessageContaining("create them beforehand");
    kafka.createTopics("r.dead-letter");
    Topics.ensure(kafka.saslBootstrapServers(), restricted); // all three exist: no error
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .contains("r.telemetry", "r.decisions", "r.dead-letter");
    }
  }

  private static boolean isDecisionOfRunAcl(ConsumerRecord<String, byte[]> r) {
    return "run-acl".equals(r.key()) && EventCodec.decode(r.value()) instanceof DecisionEvent;
  }

  private static boolean contains(List<ConsumerRecord<String, byte[]>> records, String text) {
    return records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals(text));
  }
}
