package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a broker that admits clients only with SASL/PLAIN credentials: with the right
 * Kafka client properties it decides checkpoints end to end and restores its state after a wipe
 * (so the Streams consumer, producer, admin and restore consumer all authenticated); with a wrong
 * password or none it fails at start with a message about credentials.
 */
class AgentSaslTest {

  static final String USER = "prunewire";
  static final String PASSWORD = "agent-secret";

  static EmbeddedKafka kafka;
  @TempDir static Path dir;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().saslPlain(USER, PASSWORD).start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  static Map<String, String> sasl(String password) {
    return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + USER + "\" password=\"" + password + "\";");
  }

  private static AgentConfig config(String name, Map<String, String> client) {
    return KafkaTestSupport.config(dir.resolve(name)).telemetryTopic(name + ".telemetry")
        .decisionsTopic(name + ".decisions").deadLetterTopic(name + ".dead-letter")
        .kafkaClientProperties(client).build();
  }

  private static void sendAll(AgentConfig c, List<Event> events) {
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.saslBootstrapServers(), sasl(PASSWORD))) {
      events.forEach(e -> send(p, c.telemetryTopic(), e));
    }
  }

  private static DecisionEvent decision(AgentConfig c, int index) {
    List<ConsumerRecord<String, byte[]>> records = readUntil(kafka.saslBootstrapServers(), sasl(PASSWORD),
        c.decisionsTopic(), r -> r.size() > index, Duration.ofSeconds(40));
    return (DecisionEvent) EventCodec.decode(records.get(index).value());
  }

  @Test
  void withCredentialsTheAgentDecidesAndRestoresItsStateOverSasl() throws Exception {
    AgentConfig c = config("sasl", sasl(PASSWORD));
    SimulatedTrainer t = new SimulatedTrainer("run-sasl", "t1", 1, 12);
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.saslBootstrapServers(), c)) {
      List<Event> first = t.untilFirstCheckpoint();
      sendAll(c, first);
      DecisionEvent c1 = decision(c, 0);
      assertThat(c1.checkpointId()).isEqualTo("c1");
      assertThat(c1.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum()).isEqualTo(24 - 6);
    }
    wipe(c.stateDir());
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.saslBootstrapServers(), c)) {
      List<Event> second = new ArrayList<>(t.summaries(30));
      second.add(t.checkpoint(40, "c2", 6));
      sendAll(c, second);
      DecisionEvent c2 = decision(c, 1);
      assertThat(c2.checkpointId()).isEqualTo("c2");
      // Only the restored run state knows the 6 neurons pruned at c1.
      assertThat(c2.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum()).isEqualTo(24 - 12);
    }
  }

  @Test
  void aWrongPasswordFailsAtStartNamingTheCredentials() {
    AgentConfig c = config("wrong", sasl("guess"));
    assertThatThrownBy(() -> PrunewireAgent.start(kafka.saslBootstrapServers(), c).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused the agent's credentials")
        .hasMessageContaining("sasl.jaas.config");
  }

  @Test
  void withoutCredentialsTheAgentFailsAtStartPointingAtTheSecuritySettings() {
    // Not credentials: short admin timeouts keep the test fast.
    AgentConfig c = config("none", Map.of("default.api.timeout.ms", "3000", "request.timeout.ms", "1000"));
    assertThatThrownBy(() -> PrunewireAgent.start(kafka.saslBootstrapServers(), c).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not answer")
        .hasMessageContaining("security.protocol");
  }

  @Test
  void inconsistentClientPropertiesFailAtStartWithKafkasReason() {
    AgentConfig c = config("inconsistent", Map.of("default.api.timeout.ms", "1000", "request.timeout.ms", "5000"));
    assertThatThrownBy(() -> PrunewireAgent.start(kafka.saslBootstrapServers(), c).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Kafka client properties")
        .hasMessageContaining("default.api.timeout.ms");
  }

  private static void wipe(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
