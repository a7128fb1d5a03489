package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM: the quorum forms, and the cluster keeps its data and takes writes with
 * one node stopped.
 */
class EmbeddedKafkaClusterTest {

  @Test
  void threeNodesReplicateAndSurviveOneStoppedNode() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().nodes(3).start();
        Admin admin =
            Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(kafka.nodeIds()).containsExactly(1, 2, 3);
      assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
      assertThat(admin.describeCluster().nodes().get()).hasSize(3);
      kafka.createTopics("t");
      TopicPartitionInfo p = partition(admin, "t");
      assertThat(p.replicas()).hasSize(3);
      assertThat(p.isr()).hasSize(3);
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      var brokerConfig = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      assertThat(brokerConfig.get("min.insync.replicas").value()).isEqualTo("2");
      assertThat(brokerConfig.get("offsets.topic.replication.factor").value()).isEqualTo("3");
      assertThat(brokerConfig.get("transaction.state.log.replication.factor").value())
          .isEqualTo("3");
      assertThat(brokerConfig.get("transaction.state.log.min.isr").value()).isEqualTo("2");

      // A transaction and a group before the stop: both internal topics exist, replicated three
      // times.
      produceInTransaction(kafka.bootstrapServers(), "tx-1", "before");
      assertThat(consume(kafka.bootstrapServers(), "g", 1)).containsExactly("before");
      assertThat(partition(admin, "__consumer_offsets").replicas()).hasSize(3);
      assertThat(partition(admin, "__transaction_state").replicas()).hasSize(3);

      int leader = p.leader().id();
      kafka.stopNode(leader);
      await("leadership of t moved off node " + leader)
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TopicPartitionInfo now = partition(admin, "t");
                return now.leader() != null && now.leader().id() != leader && now.isr().size() == 2;
              });
      // acks=all with two of three in sync (min.insync.replicas 2), a new transaction, and the
      // group's committed offset: nothing written before the stop is lost.
      produceInTransaction(kafka.bootstrapServers(), "tx-1", "during");
      assertThat(consume(kafka.bootstrapServers(), "g", 1)).containsExactly("during");
      assertThat(consume(kafka.bootstrapServers(), "fresh", 2)).containsExactly("before", "during");

      kafka.startNode(leader);
      await("node " + leader + " back in sync")
          .atMost(Duration.ofSeconds(60))
          .until(() -> partition(admin, "t").isr().size() == 3);
      produceInTransaction(kafka.bootstrapServers(), "tx-1", "after");
      assertThat(consume(kafka.bootstrapServers(), "g", 1)).containsExactly("after");
      assertThatThrownBy(() -> kafka.stopNode(4)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aClusterHasNoSaslListener() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().nodes(3).saslPlain("u", "p").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single node");
  }

  private static TopicPartitionInfo partition(Admin admin, String topic) {
    try {
      TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      return d.partitions().get(0);
    } catch (Exception e) {
      throw new IllegalStateException("describing " + topic, e);
    }
  }

  private static void produceInTransaction(String bootstrap, String txId, String value) {
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                txId),
            new StringSerializer(),
            new StringSerializer())) {
      p.initTransactions();
      p.beginTransaction();
      p.send(new ProducerRecord<>("t", "k", value));
      p.commitTransaction();
    }
  }

  /** Reads {@code expected} committed records as group {@code group} and commits its offsets. */
  private static List<String> consume(String bootstrap, String group, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new StringDeserializer())) {
      c.subscribe(List.of("t"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      c.commitSync();
    }
    return values;
  }
}
