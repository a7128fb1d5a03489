package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded broker whose clients must log in over SASL, and the clients the agent's security
 * tests use against it. Registered as a static {@code @RegisterExtension} it starts before the test
 * class's own {@code @BeforeAll} (which may then create ACLs) and stops after the class.
 */
final class SaslBroker implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> users;
  private final UnaryOperator<EmbeddedKafka.Builder> listener;
  private EmbeddedKafka kafka;

  private SaslBroker(Map<String, String> users, UnaryOperator<EmbeddedKafka.Builder> listener) {
    this.users = Map.copyOf(users);
    this.listener = listener;
  }

  /** One user, by SASL/PLAIN, and no authorizer: any logged-in client may do anything. */
  static SaslBroker plain(String user, String password) {
    return new SaslBroker(Map.of(user, password), b -> b.saslPlain(user, password));
  }

  /**
   * These users (name to password) by SCRAM-SHA-512, with Kafka's authorizer; {@code superUser}
   * bypasses the ACLs.
   */
  static SaslBroker scramWithAcls(Map<String, String> users, String superUser) {
    return new SaslBroker(users, b -> b.saslScram(users).authorizer(superUser));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka = listener.apply(EmbeddedKafka.builder()).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kafka.close();
  }

  EmbeddedKafka kafka() {
    return kafka;
  }

  String bootstrapServers() {
    return kafka.saslBootstrapServers();
  }

  /** The client properties that log in as {@code user} with its own password. */
  Map<String, String> login(String user) {
    return login(user, users.get(user));
  }

  /** Any name and password, so that refusals can be tested too. */
  Map<String, String> login(String user, String password) {
    return kafka.saslClientProperties(user, password);
  }

  /**
   * An agent configuration whose topics start with {@code name}, its Kafka clients logged in with
   * {@code login}.
   */
  AgentConfig config(Path stateDir, String name, Map<String, String> login) {
    return KafkaTestSupport.config(stateDir)
        .telemetryTopic(name + ".telemetry")
        .decisionsTopic(name + ".decisions")
        .deadLetterTopic(name + ".dead-letter")
        .kafkaClientProperties(login)
        .build();
  }

  Admin admin(String user) {
    Map<String, Object> c = new HashMap<>(login(user));
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(c);
  }

  /** A producer that gives up within seconds: a refused send must fail the test, not hang it. */
  KafkaProducer<String, byte[]> producer(Map<String, String> login) {
    Map<String, String> c = new HashMap<>(login);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    return KafkaTestSupport.producer(bootstrapServers(), c);
  }

  /**
   * A consumer without a group, as trainers read decisions (PROTOCOL.md), unless {@code group} is
   * given.
   */
  KafkaConsumer<String, byte[]> consumer(Map<String, String> login, String group) {
    Map<String, Object> c = new HashMap<>(login);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    if (group != null) {
      c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads partition 0 of {@code topic} from the start as {@code login} until {@code done} holds.
   */
  List<ConsumerRecord<String, byte[]>> read(
      Map<String, String> login,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KafkaConsumer<String, byte[]> c = consumer(login, null)) {
      TopicPartition p = new TopicPartition(topic, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      while (!done.test(records)) {
        assertThat(System.nanoTime())
            .as("reading %s: %d records so far", topic, records.size())
            .isLessThan(deadline);
        c.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Sends {@code events} to the telemetry topic of {@code c} as {@code login}. */
  void send(AgentConfig c, Map<String, String> login, List<Event> events) {
    try (KafkaProducer<String, byte[]> p = producer(login)) {
      events.forEach(e -> KafkaTestSupport.send(p, c.topics().telemetry(), e));
    }
  }

  /**
   * Sends {@code t}'s run up to checkpoint {@code c1} (6 removals planned) as {@code trainer} and
   * returns the agent's decision for it, read as {@code trainer}.
   */
  DecisionEvent decideFirstCheckpoint(
      AgentConfig c, SimulatedTrainer t, Map<String, String> trainer) {
    send(c, trainer, t.untilFirstCheckpoint());
    return decision(c, trainer, t.runId, "c1");
  }

  /**
   * The agent's decision on checkpoint {@code checkpointId} of run {@code runId}, read as {@code
   * login}.
   */
  DecisionEvent decision(
      AgentConfig c, Map<String, String> login, String runId, String checkpointId) {
    Predicate<ConsumerRecord<String, byte[]>> wanted =
        r ->
            runId.equals(r.key())
                && EventCodec.decode(r.value()) instanceof DecisionEvent d
                && d.checkpointId().equals(checkpointId);
    List<ConsumerRecord<String, byte[]>> records =
        read(login, c.topics().decisions(), rs -> rs.stream().anyMatch(wanted));
    return (DecisionEvent)
        EventCodec.decode(records.stream().filter(wanted).findFirst().orElseThrow().value());
  }
}
