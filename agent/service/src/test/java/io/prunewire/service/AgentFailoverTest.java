package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two agent instances, each in its own JVM, share the runs; the one that owns the run's partition
 * is killed with SIGKILL while a checkpoint barrier is open (one trainer reported it, the other not
 * yet). The other instance takes the partition over after the session timeout, and its decision
 * equals, byte for byte, that of an agent that never stopped. The time from the kill to the
 * decision is logged, not asserted: {@code deploy/chaos/failover.sh} measures it (RELIABILITY.md).
 */
class AgentFailoverTest {

  private static final Logger LOG = LoggerFactory.getLogger(AgentFailoverTest.class);

  /** How long a condition may take to come true: two JVMs start and rebalance. */
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final SimulatedTrainer a = new SimulatedTrainer("run-fo", "t1", 2, 12);
  private final SimulatedTrainer b = new SimulatedTrainer("run-fo", "t2", 2, 12);

  private List<Event> toFirstDecision() {
    return SimulatedTrainer.toFirstCheckpoint(a, b);
  }

  /**
   * Everything towards c2 up to trainer a's checkpoint: the barrier is open when the owner dies.
   */
  private List<Event> toOpenBarrier() {
    List<Event> events = new ArrayList<>();
    for (SimulatedTrainer t : List.of(a, b)) {
      events.addAll(t.summaries(30));
      events.add(t.ablations(40, "c2"));
    }
    events.add(a.checkpoint(40, "c2", 6));
    return events;
  }

  private List<Event> closingTheBarrier() {
    return List.of(b.checkpoint(40, "c2", 6));
  }

  @Test
  void theOtherInstanceDecidesAfterTheOwnerIsKilledMidCheckpoint() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      String bootstrap = kafka.bootstrapServers();
      AgentConfig reference =
          KafkaTestSupport.config(dir.resolve("reference"))
              .telemetryTopic("ref.telemetry")
              .decisionsTopic("ref.decisions")
              .deadLetterTopic("ref.dead-letter")
              .build();
      List<byte[]> expected;
      try (PrunewireAgent agent = PrunewireAgent.start(bootstrap, reference)) {
        sendAll(bootstrap, reference.topics().telemetry(), toFirstDecision());
        sendAll(bootstrap, reference.topics().telemetry(), toOpenBarrier());
        sendAll(bootstrap, reference.topics().telemetry(), closingTheBarrier());
        expected = decisions(bootstrap, reference.topics().decisions(), 2);
      }

      Map<String, String> shared = new LinkedHashMap<>();
      shared.put("application.id", "failover-" + UUID.randomUUID());
      shared.put("telemetry.topic", "fo.telemetry");
      shared.put("decisions.topic", "fo.decisions");
      shared.put("dead.letter.topic", "fo.dead-letter");
      shared.put("partitions", "1");
      shared.put("metrics.port", "0");
      shared.put("barrier.timeout", "60s");
      // The settings of docs/AGENT.md, "Running several instances", for a takeover within 10 s.
      shared.put("session.timeout", "6s");
      shared.put("standby.replicas", "1");
      Map<String, String> client =
          Map.of(
              "main.consumer.heartbeat.interval.ms",
              "1000",
              "producer.transaction.timeout.ms",
              "5000");
      try (AgentProcess one =
              AgentProcess.start(
                  bootstrap, settings(shared, "one"), client, dir.resolve("one.log"));
          AgentProcess two =
              AgentProcess.start(
                  bootstrap, settings(shared, "two"), client, dir.resolve("two.log"))) {
        await("both instances ready").atMost(WAIT).until(() -> one.ready() && two.ready());
        sendAll(bootstrap, "fo.telemetry", toFirstDecision());
        assertThat(decisions(bootstrap, "fo.decisions", 1).get(0)).isEqualTo(expected.get(0));

        String runs = "prunewire_active_runs{partition=\"0\"}";
        await("one instance owns the run")
            .atMost(WAIT)
            .until(() -> one.sample(runs) == 1 || two.sample(runs) == 1);
        AgentProcess owner = one.sample(runs) == 1 ? one : two;
        AgentProcess other = owner == one ? two : one;
        sendAll(bootstrap, "fo.telemetry", toOpenBarrier());
        // Three checkpoint events merged (c1 twice, a's c2): the barrier of c2 is open on the
        // owner.
        await("the owner merged trainer a's c2")
            .atMost(WAIT)
            .until(() -> owner.sample("prunewire_events_consumed_total{type=\"checkpoint\"}") >= 3);
        owner.kill();
        long killed = System.nanoTime();
        sendAll(bootstrap, "fo.telemetry", closingTheBarrier());
        List<byte[]> actual = decisions(bootstrap, "fo.decisions", 2);
        LOG.info(
            "failover: decision c2 {} ms after SIGKILL of the owner",
            (System.nanoTime() - killed) / 1_000_000);

        assertThat(((DecisionEvent) EventCodec.decode(actual.get(1))).checkpointId())
            .isEqualTo("c2");
        assertThat(actual.get(1)).isEqualTo(expected.get(1));
        assertThat(other.sample(runs)).as("the survivor holds the run").isEqualTo(1);
      }
    }
  }

  private Map<String, String> settings(Map<String, String> shared, String name) {
    Map<String, String> s = new LinkedHashMap<>(shared);
    s.put("instance.id", "agent-" + name);
    s.put("state.dir", dir.resolve("state-" + name).toString());
    return s;
  }

  private static void sendAll(String bootstrap, String topic, List<Event> events) {
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(bootstrap)) {
      events.forEach(e -> send(p, topic, e));
    }
  }

  private static List<byte[]> decisions(String bootstrap, String topic, int count) {
    return readUntil(bootstrap, topic, r -> r.size() >= count, Duration.ofSeconds(90)).stream()
        .map(ConsumerRecord::value)
        .toList();
  }
}
