package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input records processed by two agents yield the same bytes for a checkpoint whose
 * barrier timed out (one of two trainers never reports it, and no event follows): the timeout fires
 * without further input, and the decision's timestamp is the barrier's deadline from the input, not
 * the wall clock of the punctuation.
 */
class TimedOutDecisionReplayTest {

  static final Duration TIMEOUT = Duration.ofSeconds(1);

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

  private static AgentConfig config(String name) {
    return KafkaTestSupport.config(dir.resolve(name))
        .telemetryTopic(name + ".telemetry")
        .decisionsTopic(name + ".decisions")
        .deadLetterTopic(name + ".dead-letter")
        .barrierTimeout(TIMEOUT)
        .build();
  }

  @Test
  void aTimedOutBarrierIsDecidedIdenticallyFromTheSameRecords() {
    SimulatedTrainer t1 = new SimulatedTrainer("run-replay", "t1", 2, 12);
    SimulatedTrainer t2 = new SimulatedTrainer("run-replay", "t2", 2, 12);
    CheckpointEvent opening = t1.checkpoint(20, "c1", 4);
    List<Event> input = new ArrayList<>(List.of(t1.started(), t2.started()));
    input.addAll(t1.summaries(10));
    input.addAll(t2.summaries(10));
    input.add(t1.ablations(20, "c1"));
    input.add(opening);

    AgentConfig first = config("first");
    AgentConfig second = config("second");
    byte[] a;
    byte[] b;
    try (PrunewireAgent one = PrunewireAgent.start(kafka.bootstrapServers(), first);
        PrunewireAgent two = PrunewireAgent.start(kafka.bootstrapServers(), second);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      input.forEach(e -> send(p, first.topics().telemetry(), e));
      input.forEach(e -> send(p, second.topics().telemetry(), e));
      a = onlyDecision(first);
      b = onlyDecision(second);
    }

    DecisionEvent d = (DecisionEvent) EventCodec.decode(a);
    assertThat(d.checkpointId()).isEqualTo("c1");
    assertThat(d.missingTrainers()).containsExactly("t2");
    assertThat(d.reason()).contains("timed out");
    assertThat(d.header().timestampMillis())
        .as("deadline: opening checkpoint's timestamp + timeout")
        .isEqualTo(opening.header().timestampMillis() + TIMEOUT.toMillis());
    assertThat(b).isEqualTo(a);
  }

  private static byte[] onlyDecision(AgentConfig c) {
    return readUntil(
            kafka.bootstrapServers(),
            c.topics().decisions(),
            r -> !r.isEmpty(),
            Duration.ofSeconds(40))
        .get(0)
        .value();
  }
}
