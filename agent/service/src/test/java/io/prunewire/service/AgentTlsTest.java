package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.broker.TlsKeys;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent over TLS with the client files docs/AGENT.md ("TLS") shows, placeholders replaced: a
 * {@code SASL_SSL} listener with SCRAM-SHA-512 whose certificate is signed by a CA made at test
 * time. The agent decides a run the trainer file publishes; a trainer without the truststore fails
 * the handshake and the agent goes on deciding; an agent without it fails at start naming the
 * truststore.
 */
class AgentTlsTest {

  /** The repository root: tests run in agent/service. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

  static final Map<String, String> USERS =
      Map.of("prunewire-agent", "agent-secret", "prunewire-trainer", "trainer-secret");

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static Map<String, String> agentFile;
  static Map<String, String> trainerFile;

  @BeforeAll
  static void startBroker() throws IOException {
    TlsKeys keys = TlsKeys.generate(dir.resolve("tls"));
    kafka = EmbeddedKafka.builder().tls(keys).saslScram(USERS).start();
    Map<String, String> replacements =
        Map.of(
            "CHANGE_ME_AGENT_PASSWORD",
            USERS.get("prunewire-agent"),
            "CHANGE_ME_TRAINER_PASSWORD",
            USERS.get("prunewire-trainer"),
            "CHANGE_ME_TLS_PASSWORD",
            keys.password(),
            "/etc/prunewire/kafka/truststore.p12",
            keys.truststore().toString());
    agentFile = documented("agent.properties", replacements);
    trainerFile = documented("trainer.properties", replacements);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /**
   * The properties block of docs/AGENT.md that starts with {@code # file}, placeholders replaced;
   * it must say what the deploy/kafka file of that name says, so the two cannot drift apart.
   */
  static Map<String, String> documented(String file, Map<String, String> replacements)
      throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/AGENT.md"));
    int start = doc.indexOf("```properties\n# " + file + ":");
    assertThat(start).as("docs/AGENT.md has a properties block for %s", file).isNotNegative();
    String block = doc.substring(doc.indexOf('\n', start) + 1, doc.indexOf("```", start + 3));
    assertThat(properties(block))
        .as("docs/AGENT.md's %s against deploy/kafka/%s", file, file)
        .isEqualTo(properties(Files.readString(ROOT.resolve("deploy/kafka/" + file))));
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      block = block.replace(r.getKey(), r.getValue());
    }
    Map<String, String> p = properties(block);
    assertThat(p)
        .as(file)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsKey("ssl.truststore.location");
    p.forEach(
        (k, v) ->
            assertThat(v)
                .as("%s: %s", file, k)
                .doesNotContain("CHANGE_ME")
                .doesNotContain("/etc/"));
    return p;
  }

  static Map<String, String> properties(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    Map<String, String> m = new HashMap<>();
    p.forEach((k, v) -> m.put((String) k, (String) v));
    return m;
  }

  static Map<String, String> withoutTruststore(Map<String, String> client) {
    Map<String, String> m = new HashMap<>(client);
    m.keySet().removeIf(k -> k.startsWith("ssl.truststore."));
    return m;
  }

  private static AgentConfig config(String name, Map<String, String> client) {
    return KafkaTestSupport.config(dir.resolve(name))
        .telemetryTopic(name + ".telemetry")
        .decisionsTopic(name + ".decisions")
        .deadLetterTopic(name + ".dead-letter")
        .kafkaClientProperties(client)
        .build();
  }

  private static void publish(AgentConfig c, List<Event> events) {
    try (KafkaProducer<String, byte[]> p =
        KafkaTestSupport.producer(kafka.saslBootstrapServers(), trainerFile)) {
      events.forEach(e -> send(p, c.topics().telemetry(), e));
    }
  }

  private static DecisionEvent decision(AgentConfig c, int index) {
    List<ConsumerRecord<String, byte[]>> records =
        readUntil(
            kafka.saslBootstrapServers(),
            trainerFile,
            c.topics().decisions(),
            r -> r.size() > index,
            Duration.ofSeconds(40));
    return (DecisionEvent) EventCodec.decode(records.get(index).value());
  }

  @Test
  void theDocumentedFilesCarryARunOverSaslSslAndAnUntrustingTrainerIsRefused() throws Exception {
    AgentConfig c = config("tls", agentFile);
    SimulatedTrainer t = new SimulatedTrainer("run-tls", "t1", 1, 12);
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.saslBootstrapServers(), c)) {
      List<Event> first = t.untilFirstCheckpoint();
      publish(c, first);
      assertThat(decision(c, 0).checkpointId()).isEqualTo("c1");

      Map<String, String> untrusting = withoutTruststore(trainerFile);
      untrusting.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
      untrusting.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
      untrusting.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      try (KafkaProducer<String, byte[]> p =
          KafkaTestSupport.producer(kafka.saslBootstrapServers(), untrusting)) {
        assertThatThrownBy(
                () ->
                    p.send(
                            new ProducerRecord<>(
                                c.topics().telemetry(),
                                "run-tls",
                                EventCodec.encode(t.checkpoint(30, "forged", 6))))
                        .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(SslAuthenticationException.class)
            .hasMessageContaining("SSL handshake failed");
      }

      List<Event> second = new ArrayList<>(t.summaries(30));
      second.add(t.checkpoint(40, "c2", 6));
      publish(c, second);
      DecisionEvent c2 = decision(c, 1);
      assertThat(c2.checkpointId())
          .as("the refused trainer's record never arrived")
          .isEqualTo("c2");
      assertThat(c2.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
          .isEqualTo(24 - 12);
    }
  }

  @Test
  void anAgentWithoutTheTruststoreFailsAtStartNamingIt() {
    AgentConfig c = config("untrusting", withoutTruststore(agentFile));
    assertThatThrownBy(() -> PrunewireAgent.start(kafka.saslBootstrapServers(), c).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "TLS handshake with Kafka at " + kafka.saslBootstrapServers() + " failed")
        .hasMessageContaining("PKIX path building failed")
        .hasMessageContaining("ssl.truststore.location");
  }
}
