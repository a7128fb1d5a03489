package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listeners with key material made at test time: a client that trusts the broker's CA
 * produces and consumes over {@code SSL} (with Kafka's default hostname verification against the
 * certificate's 127.0.0.1), and logs in over {@code SASL_SSL}; a client without the truststore, or
 * trusting another CA, fails the TLS handshake.
 */
class EmbeddedKafkaTlsTest {

  @TempDir static Path dir;
  static TlsKeys keys;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    keys = TlsKeys.generate(dir.resolve("tls"));
    kafka = EmbeddedKafka.builder().tls(keys).saslPlain("alice", "alice-secret").start();
    kafka.createTopics("t");
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  /** Short timeouts: a refused handshake must fail the test quickly, not hang it. */
  private static Map<String, Object> client(String bootstrap, Map<String, String> security) {
    Map<String, Object> c = new HashMap<>(security);
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return c;
  }

  @Test
  void aClientTrustingTheCaProducesAndConsumesOverTls() throws Exception {
    assertThat(kafka.tlsClientProperties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.truststore.location", keys.truststore().toString());
    assertThat(keys.toString()).doesNotContain(keys.password());
    Map<String, Object> c = client(kafka.tlsBootstrapServers(), kafka.tlsClientProperties());
    String value = "over-tls-" + System.nanoTime();
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>("t", "k", value)).get(30, TimeUnit.SECONDS);
    }
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition p = new TopicPartition("t", 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!read.contains(value)) {
        assertThat(System.nanoTime())
            .as("reading t over TLS: %s so far", read)
            .isLessThan(deadline);
        consumer
            .poll(Duration.ofMillis(200))
            .forEach((ConsumerRecord<String, String> r) -> read.add(r.value()));
      }
    }
  }

  @Test
  void theSaslListenerRunsOverTlsAndStillChecksThePassword() throws Exception {
    Map<String, String> login = kafka.saslClientProperties("alice", "alice-secret");
    assertThat(login)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsAllEntriesOf(keys.clientProperties());
    try (Admin admin = Admin.create(client(kafka.saslBootstrapServers(), login))) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("t");
    }
    try (Admin admin =
        Admin.create(
            client(kafka.saslBootstrapServers(), kafka.saslClientProperties("alice", "guess")))) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void aClientWithoutTheTruststoreOrTrustingAnotherCaFailsTheHandshake() {
    Map<String, String> noTruststore = Map.of("security.protocol", "SSL");
    Map<String, String> otherCa =
        new HashMap<>(TlsKeys.generate(dir.resolve("other-ca")).clientProperties());
    otherCa.put("security.protocol", "SSL");
    for (Map<String, String> security : List.of(noTruststore, otherCa)) {
      try (Admin admin = Admin.create(client(kafka.tlsBootstrapServers(), security))) {
        assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
            .as("%s", security.keySet())
            .hasCauseInstanceOf(SslAuthenticationException.class)
            .cause()
            .hasMessageContaining("SSL handshake failed");
      }
    }
  }
}
