package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @Test
  void recordsSurviveARestartOnTheSameDataDirectory(@TempDir Path dir) throws Exception {
    String bootstrap;
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).partitions(2).start()) {
      bootstrap = kafka.bootstrapServers();
      kafka.createTopics("t");
      kafka.createTopics("t"); // already there: no error
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
        assertThat(admin.describeTopics(Set.of("t")).allTopicNames().get().get("t").partitions())
            .hasSize(2);
      }
      produce(bootstrap, "k1", "before restart");
      assertThat(consumeAll(bootstrap, 1)).containsExactly("before restart");
    }

    try (EmbeddedKafka again = EmbeddedKafka.builder().dataDir(dir).start()) {
      assertThat(again.bootstrapServers()).isEqualTo(bootstrap);
      produce(bootstrap, "k1", "after restart");
      assertThat(consumeAll(bootstrap, 2)).containsExactly("before restart", "after restart");
    }
    assertThat(dir).exists(); // a data directory given by the caller is kept
  }

  @Test
  void transactionsCommitOnASingleBrokerAndLargeRecordsAreAccepted() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      kafka.createTopics("t");
      String big = "x".repeat(3 * 1024 * 1024); // above Kafka's 1 MB default
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "tx-1",
                  ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                  EmbeddedKafka.MAX_MESSAGE_BYTES),
              new StringSerializer(),
              new StringSerializer())) {
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>("t", "k", big));
        p.commitTransaction();
      }
      List<String> committed = new ArrayList<>();
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest",
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "g",
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed",
                  ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                  EmbeddedKafka.MAX_MESSAGE_BYTES),
              new StringDeserializer(),
              new StringDeserializer())) {
        c.subscribe(List.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committed.isEmpty() && System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(200)).forEach(r -> committed.add(r.value()));
        }
      }
      assertThat(committed).containsExactly(big);
    }
  }

  @Test
  void aPortInUseFailsWithAMessageNamingIt(@TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> EmbeddedKafka.builder().port(port).dataDir(dir).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Test
  void aTemporaryDataDirectoryIsDeletedOnClose() {
    Path data;
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      data = kafka.dataDir();
      assertThat(Files.isDirectory(data)).isTrue();
      assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    }
    assertThat(data).doesNotExist();
  }

  private static void produce(String bootstrap, String key, String value) throws Exception {
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      p.send(new ProducerRecord<>("t", key, value)).get();
    }
  }

  private static List<String> consumeAll(String bootstrap, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.GROUP_ID_CONFIG,
                "g-" + System.nanoTime()),
            new StringDeserializer(),
            new StringDeserializer())) {
      c.subscribe(List.of("t"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
