package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.LayerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a three-node cluster (replication factor 3 for its topics and Kafka Streams' own)
 * loses the leader of its telemetry partition mid-run: every event it accepted still counts, it
 * keeps deciding, and its decisions are byte for byte those of an uninterrupted run on one broker.
 */
class AgentClusterTest {

  @TempDir Path dir;

  private final SimulatedTrainer a = new SimulatedTrainer("run-ha", "t1", 2, 12);
  private final SimulatedTrainer b = new SimulatedTrainer("run-ha", "t2", 2, 12);

  /**
   * Both trainers join, summarise and reach c1; the rest is {@link #beforeStop} and {@link
   * #afterStop}.
   */
  private List<Event> toFirstCheckpoint() {
    return SimulatedTrainer.toFirstCheckpoint(a, b);
  }

  /** Trainer a's summaries towards c2, sent while all three nodes run. */
  private List<Event> beforeStop() {
    return a.summaries(30);
  }

  /** Everything else up to c2, sent after the partition's leader stopped. */
  private List<Event> afterStop() {
    List<Event> events = new ArrayList<>(b.summaries(30));
    for (SimulatedTrainer t : List.of(a, b)) {
      events.add(t.ablations(40, "c2"));
      events.add(t.checkpoint(40, "c2", 6));
    }
    return events;
  }

  @Test
  void losingTheTelemetryLeaderMidRunLosesNoEventAndChangesNoDecision() throws Exception {
    List<byte[]> expected;
    try (EmbeddedKafka single = EmbeddedKafka.builder().start()) {
      AgentConfig c = KafkaTestSupport.config(dir.resolve("single")).build();
      try (PrunewireAgent agent = PrunewireAgent.start(single.bootstrapServers(), c)) {
        sendAll(single, c, toFirstCheckpoint());
        sendAll(single, c, beforeStop());
        sendAll(single, c, afterStop());
        expected = decisions(single, c, 2);
      }
    }

    try (EmbeddedKafka cluster = EmbeddedKafka.builder().nodes(3).start();
        Admin admin =
            Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
      AgentConfig c =
          KafkaTestSupport.config(dir.resolve("cluster")).replicationFactor((short) 3).build();
      try (PrunewireAgent agent = PrunewireAgent.start(cluster.bootstrapServers(), c)) {
        sendAll(cluster, c, toFirstCheckpoint());
        assertThat(decisions(cluster, c, 1).get(0)).isEqualTo(expected.get(0));
        // Kafka Streams' changelogs are replicated like the agent's own topics.
        String changelog = c.applicationId() + "-" + AgentTopology.EVIDENCE_STORE + "-changelog";
        assertThat(describe(admin, changelog).partitions().get(0).replicas()).hasSize(3);

        sendAll(cluster, c, beforeStop());
        int leader = describe(admin, c.topics().telemetry()).partitions().get(0).leader().id();
        cluster.stopNode(leader);
        sendAll(cluster, c, afterStop());
        List<byte[]> actual = decisions(cluster, c, 2);

        assertThat(describe(admin, c.topics().telemetry()).partitions().get(0).leader().id())
            .isNotEqualTo(leader);
        assertThat(actual).hasSize(2);
        assertThat(((DecisionEvent) EventCodec.decode(actual.get(1))).checkpointId())
            .isEqualTo("c2");
        assertThat(actual.get(1)).isEqualTo(expected.get(1));
        // Every summary sent was merged exactly once: the stored evidence counts the rows sent.
        List<Event> sent = new ArrayList<>(toFirstCheckpoint());
        sent.addAll(beforeStop());
        sent.addAll(afterStop());
        for (LayerSpec layer : a.layers) {
          assertThat(storedRows(agent, layer, EventType.ACTIVATION_SUMMARY))
              .as(layer.name())
              .isEqualTo(sentRows(sent, layer, EventType.ACTIVATION_SUMMARY));
          assertThat(storedRows(agent, layer, EventType.GRADIENT_SUMMARY))
              .as(layer.name())
              .isEqualTo(sentRows(sent, layer, EventType.GRADIENT_SUMMARY));
        }
      }
    }
  }

  private static void sendAll(EmbeddedKafka kafka, AgentConfig c, List<Event> events) {
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      events.forEach(e -> send(p, c.topics().telemetry(), e));
    }
  }

  /** The first {@code count} decisions, in order. */
  private static List<byte[]> decisions(EmbeddedKafka kafka, AgentConfig c, int count) {
    return readUntil(
            kafka.bootstrapServers(),
            c.topics().decisions(),
            r -> r.size() >= count,
            Duration.ofSeconds(60))
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
  }

  private static long sentRows(List<Event> sent, LayerSpec layer, EventType part) {
    long rows = 0;
    for (Event e : sent) {
      if (e instanceof ActivationSummaryEvent s
          && part == EventType.ACTIVATION_SUMMARY
          && s.layer().equals(layer.name())) {
        rows += s.summary().value().count();
      } else if (e instanceof GradientSummaryEvent g
          && part == EventType.GRADIENT_SUMMARY
          && g.layer().equals(layer.name())) {
        rows += g.summary().gradient().count();
      }
    }
    return rows;
  }

  private long storedRows(PrunewireAgent agent, LayerSpec layer, EventType part) {
    byte[] stored =
        agent
            .store(AgentTopology.EVIDENCE_STORE)
            .get(EvidenceStore.key(a.runId, layer.name(), part));
    assertThat(stored).as("stored %s of %s", part, layer.name()).isNotNull();
    return part == EventType.ACTIVATION_SUMMARY
        ? EvidenceCodec.activation(stored).value().count()
        : EvidenceCodec.gradient(stored).gradient().count();
  }
}
