package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is stopped mid-run and its local state wiped; restarted, it restores the run from the
 * changelog topics and its next decision equals that of an agent that never stopped. Across a stop
 * and a restart, {@code prunewire_state_bytes} keeps counting what the stores hold.
 */
class AgentRestartTest {

  static EmbeddedKafka kafka;
  @TempDir static Path dir;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** The run's first half: both trainers join, summarise, probe, and reach checkpoint c1. */
  private static List<Event> firstHalf(SimulatedTrainer... trainers) {
    return SimulatedTrainer.toFirstCheckpoint(trainers);
  }

  /** The second half: more summaries and ablations, then checkpoint c2. */
  private static List<Event> secondHalf(SimulatedTrainer... trainers) {
    List<Event> events = new ArrayList<>();
    for (SimulatedTrainer t : trainers) {
      events.addAll(t.summaries(30));
      events.add(t.ablations(40, "c2"));
      events.add(t.checkpoint(40, "c2", 6));
    }
    return events;
  }

  private static void sendAll(AgentConfig c, List<Event> events) {
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      events.forEach(e -> send(p, c.topics().telemetry(), e));
    }
  }

  private static List<byte[]> decisions(AgentConfig c, int count) {
    return readUntil(
            kafka.bootstrapServers(),
            c.topics().decisions(),
            r -> r.size() >= count,
            Duration.ofSeconds(40))
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  private static AgentConfig config(String name) {
    return KafkaTestSupport.config(dir.resolve(name))
        .telemetryTopic(name + ".telemetry")
        .decisionsTopic(name + ".decisions")
        .deadLetterTopic(name + ".dead-letter")
        .build();
  }

  @Test
  void decisionAfterRestartWithWipedStateEqualsUninterruptedRun() throws Exception {
    SimulatedTrainer a = new SimulatedTrainer("run-r", "t1", 2, 12);
    SimulatedTrainer b = new SimulatedTrainer("run-r", "t2", 2, 12);

    AgentConfig reference = config("reference");
    byte[] expected;
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), reference)) {
      sendAll(reference, firstHalf(a, b));
      decisions(reference, 1);
      sendAll(reference, secondHalf(a, b));
      expected = decisions(reference, 2).get(1);
    }

    AgentConfig restarted = config("restarted");
    byte[] first;
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), restarted)) {
      sendAll(restarted, firstHalf(a, b));
      first = decisions(restarted, 1).get(0);
    }
    wipe(restarted.stateDir());
    assertThat(restarted.stateDir()).doesNotExist();
    byte[] actual;
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), restarted)) {
      sendAll(restarted, secondHalf(a, b));
      actual = decisions(restarted, 2).get(1);
    }

    DecisionEvent d = (DecisionEvent) EventCodec.decode(actual);
    assertThat(d.checkpointId()).isEqualTo("c2");
    assertThat(actual).isEqualTo(expected);
    // Monotone across the restart: everything pruned at c1 stays pruned at c2.
    DecisionEvent c1 = (DecisionEvent) EventCodec.decode(first);
    for (int l = 0; l < c1.layers().size(); l++) {
      boolean[] before = c1.layers().get(l).keep();
      boolean[] after = d.layers().get(l).keep();
      for (int i = 0; i < before.length; i++) {
        assertThat(!before[i] && after[i])
            .as("neuron %d of %s revived", i, c1.layers().get(l).layer())
            .isFalse();
      }
    }
    assertThat(d.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
        .isEqualTo(24 - 12);
  }

  @Test
  void stateBytesCountWhatTheStoresHoldAcrossAStopAndARestart() throws Exception {
    SimulatedTrainer a = new SimulatedTrainer("run-s", "t1", 2, 12);
    SimulatedTrainer b = new SimulatedTrainer("run-s", "t2", 2, 12);
    AgentConfig c = config("sizes");
    Map<String, Double> held;
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), c)) {
      sendAll(c, firstHalf(a, b));
      decisions(c, 1);
      held = stateBytes(agent.metrics().scrape());
      assertThat(held).containsKeys(AgentTopology.RUNS_STORE, AgentTopology.EVIDENCE_STORE);
      assertThat(held.values()).allSatisfy(bytes -> assertThat(bytes).isPositive());
      agent.close();
      // the stopped task took its partition's share out of the gauge
      assertThat(stateBytes(agent.metrics().scrape()).values())
          .allSatisfy(bytes -> assertThat(bytes).isZero());
    }
    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), c)) {
      assertThat(agent.awaitReady(Duration.ofSeconds(60))).isTrue();
      // nothing written since the restart, yet the gauge counts what the stores hold
      assertThat(stateBytes(agent.metrics().scrape())).isEqualTo(held);
    }
  }

  /** {@code prunewire_state_bytes} per store, from the scrape. */
  private static Map<String, Double> stateBytes(String scrape) {
    Map<String, Double> bytes = new TreeMap<>();
    Matcher m =
        Pattern.compile("^prunewire_state_bytes\\{store=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    while (m.find()) {
      bytes.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return bytes;
  }

  private static void wipe(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
