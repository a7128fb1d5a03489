package io.prunewire.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.Topics;
import io.prunewire.scorers.stats.ActivationSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTelemetrySinkTest {
  private static final String RUN = "run-1";

  @Test
  void publishesKeyedByRunAndReceivesOnlyItsRunsDecisions() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().partitions(2).start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.bootstrapServers(), RUN, "trainer-0").build()) {
        RunStarted started = runStarted();
        ActivationSummaryEvent wide =
            wideActivationSummary(); // a reference-width layer, ~250 KB encoded
        CheckpointEvent checkpoint = new CheckpointEvent(header(100), "ckpt-1", 3);
        sink.publish(started);
        sink.publish(wide);
        sink.publish(checkpoint);
        sink.flush();
        assertThat(sink.stats().delivered()).isEqualTo(3);

        List<ConsumerRecord<String, byte[]>> records = consume(kafka.bootstrapServers(), 3);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(RUN);
        assertThat(records)
            .extracting(r -> EventCodec.decode(r.value()))
            .containsExactly(started, wide, checkpoint);

        // a decision of another run must not satisfy this run's checkpoint
        produceDecision(kafka.bootstrapServers(), decision("other-run", "ckpt-1"));
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofMillis(1500))).isEmpty();

        // protocol v2: the agent's removal candidates come first, then the decision
        RemovalCandidates asked =
            new RemovalCandidates(
                header(100),
                "ckpt-1",
                0,
                List.of("trainer-0"),
                List.of(
                    new RemovalCandidates.Candidate(
                        0, List.of(new AblationEvent.Removal("l1.snn", new int[] {1, 4})))));
        produceDecision(kafka.bootstrapServers(), asked);
        assertThat(sink.awaitCandidatesOrDecision(RUN, "ckpt-1", Duration.ofSeconds(20)))
            .contains(asked);
        DecisionEvent mine = decision(RUN, "ckpt-1");
        produceDecision(kafka.bootstrapServers(), mine);
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofSeconds(20))).contains(mine);
        assertThat(sink.awaitCandidatesOrDecision(RUN, "ckpt-2", Duration.ZERO)).isEmpty();
        assertThat(sink.stats().decisionsReceived()).isEqualTo(1);
      }
    }
  }

  @Test
  void publishesToAndReadsFromTheConfiguredTopics() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      // the default topics exist too: the sink must not fall back to them
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS, "lab.telemetry", "lab.decisions");
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.bootstrapServers(), RUN, "trainer-0")
              .telemetryTopic("lab.telemetry")
              .decisionsTopic("lab.decisions")
              .build()) {
        RunStarted started = runStarted();
        sink.publish(started);
        sink.flush();
        assertThat(KafkaRecords.read(kafka.bootstrapServers(), "lab.telemetry", 1, r -> true))
            .extracting(r -> EventCodec.decode(r.value()))
            .containsExactly(started);

        produceDecision(kafka.bootstrapServers(), Topics.DECISIONS, decision(RUN, "ckpt-1"));
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofMillis(1500))).isEmpty();
        DecisionEvent mine = decision(RUN, "ckpt-1");
        produceDecision(kafka.bootstrapServers(), "lab.decisions", mine);
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofSeconds(20))).contains(mine);
      }
      assertThat(recordsIn(kafka.bootstrapServers(), Topics.TELEMETRY)).isZero();
    }
  }

  @Test
  void clientPropertiesCarryTheSinkThroughASaslListener() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().saslPlain("trainer", "t-secret").start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      // Only the SASL listener is given to the sink: its producer and consumer must both
      // authenticate.
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.saslBootstrapServers(), RUN, "trainer-0")
              .clientProperty("security.protocol", "SASL_PLAINTEXT")
              .clientProperty("sasl.mechanism", "PLAIN")
              .clientProperty(
                  "sasl.jaas.config",
                  "org.apache.kafka.common.security.plain.PlainLoginModule required"
                      + " username=\"trainer\" password=\"t-secret\";")
              .build()) {
        RunStarted started = runStarted();
        sink.publish(started);
        sink.flush();
        assertThat(sink.stats().delivered()).isEqualTo(1);
        assertThat(consume(kafka.bootstrapServers(), 1))
            .extracting(r -> EventCodec.decode(r.value()))
            .containsExactly(started);
        DecisionEvent mine = decision(RUN, "ckpt-1");
        produceDecision(kafka.bootstrapServers(), mine);
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofSeconds(20))).contains(mine);
      }
    }
  }

  @Test
  void aWrongPasswordNeitherStopsTrainingNorKillsTheDecisionReceiver() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().saslPlain("trainer", "t-secret").start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.saslBootstrapServers(), RUN, "trainer-0")
              .clientProperty("security.protocol", "SASL_PLAINTEXT")
              .clientProperty("sasl.mechanism", "PLAIN")
              .clientProperty(
                  "sasl.jaas.config",
                  "org.apache.kafka.common.security.plain.PlainLoginModule required"
                      + " username=\"trainer\" password=\"wrong\";")
              .build()) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkMetrics.bind(sink, registry);
        sink.publish(runStarted());
        // The receiver is refused again and again, and keeps trying with backoff instead of dying.
        await("three refused attempts of the decision receiver")
            .atMost(Duration.ofSeconds(30))
            .until(() -> sink.receiverFailures() >= 3);
        assertThat(sink.receiverState()).isEqualTo("RETRYING");
        assertThat(registry.get("prunewire.trainer.decision.receiver.up").gauge().value()).isZero();
        assertThat(
                registry
                    .get("prunewire.trainer.decision.receiver.failures")
                    .functionCounter()
                    .count())
            .isGreaterThanOrEqualTo(3);
        assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ofMillis(100))).isEmpty();
        sink.publish(new CheckpointEvent(header(5), "ckpt-1", 1));
      }
    }
  }

  @Test
  void clientPropertiesTheSinkSetsItselfAreRefusedByName() {
    for (String key :
        List.of(
            "bootstrap.servers",
            "acks",
            "enable.idempotence",
            "isolation.level",
            "delivery.timeout.ms",
            "value.serializer")) {
      assertThatThrownBy(
              () -> KafkaTelemetrySink.builder("127.0.0.1:1", RUN, "t").clientProperty(key, "x"))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + key + "'")
          .hasMessageContaining("set by the telemetry sink");
    }
  }

  @Test
  void aDecisionThatMissesTheTimeoutIsDeliveredLater() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.bootstrapServers(), RUN, "trainer-0").build()) {
        long t0 = System.nanoTime();
        Optional<DecisionEvent> inTime = sink.awaitDecision(RUN, "ckpt-2", Duration.ofMillis(300));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(inTime).isEmpty();
        // it waited out the timeout; that it returned at all is what the test needs of the upper
        // end
        assertThat(waitedMs).isGreaterThanOrEqualTo(300L);

        sink.decision("ckpt-2").cancel(true); // a caller's own future: must not affect anyone else
        DecisionEvent late = decision(RUN, "ckpt-2");
        produceDecision(kafka.bootstrapServers(), late);
        assertThat(sink.decision("ckpt-2").get(20, TimeUnit.SECONDS)).isEqualTo(late);
        assertThat(sink.awaitDecision(RUN, "ckpt-2", Duration.ZERO)).contains(late);
      }
    }
  }

  @Test
  void aBrokerOutageNeitherBlocksPublishNorStopsPublishingAfterwards(@TempDir Path data)
      throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(data).start();
    String bootstrap = kafka.bootstrapServers();
    kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
    int bufferBytes = 16 * 1024;
    try (KafkaTelemetrySink sink =
        KafkaTelemetrySink.builder(bootstrap, RUN, "trainer-0")
            .bufferBytes(bufferBytes)
            .deliveryTimeout(Duration.ofMillis(1500))
            .breakerOpenDuration(Duration.ofMillis(500))
            .breakerWindow(2)
            .maxUnacknowledged(4)
            .build()) {
      sink.publish(runStarted());
      await("first event delivered")
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.stats().delivered() == 1);

      kafka.close();
      int published = 3000;
      long slowestNanos = 0;
      for (int i = 0; i < published; i++) {
        long t = System.nanoTime();
        sink.publish(new CheckpointEvent(header(1000 + i), "outage-" + i, 1));
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - t);
      }
      SinkStats during = sink.stats();
      // each event is ~60 bytes, so a 16 KiB buffer holds a few hundred of 3,000
      assertThat(during.dropped()).isPositive();
      assertThat(during.accepted() + during.dropped()).isEqualTo(published + 1L);
      assertThat(during.bufferedBytes()).isLessThanOrEqualTo(bufferBytes);
      // a publish that waited for the absent broker would take the producer's max.block.ms (750 ms
      // here) or more, so anything below it shows that no publish waited for the broker
      assertThat(TimeUnit.NANOSECONDS.toMillis(slowestNanos))
          .as("slowest publish during the outage, ms")
          .isLessThan(750);
      await("breaker opens")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !sink.stats().circuit().equals("CLOSED"));

      kafka = EmbeddedKafka.builder().dataDir(data).start();
      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      // what the outage left in the buffer goes out first (the buffer is full until then) ...
      await("buffer drains")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> sink.stats().bufferedEvents() == 0 && sink.stats().circuit().equals("CLOSED"));
      // ... and new events flow again
      CheckpointEvent after = new CheckpointEvent(header(9999), "after-outage", 1);
      sink.publish(after);
      sink.flush();
      List<Event> seen =
          consume(bootstrap, 1, r -> EventCodec.decode(r.value()).equals(after)).stream()
              .map(r -> EventCodec.decode(r.value()))
              .toList();
      assertThat(seen)
          .as("the event published after the outage, sink %s", sink.stats())
          .contains(after);
      SinkStats end = sink.stats();
      // nothing accepted is lost: what went out during the outage was sent again
      assertThat(end.failed()).isZero();
      assertThat(end.delivered() + end.bufferedEvents()).isEqualTo(end.accepted());
    } finally {
      kafka.close();
    }
  }

  @Test
  void rejectsAnotherRunsEvents() {
    try (KafkaTelemetrySink sink =
        KafkaTelemetrySink.builder("127.0.0.1:1", RUN, "trainer-0")
            .closeTimeout(Duration.ZERO)
            .build()) {
      assertThatThrownBy(
              () ->
                  sink.publish(new CheckpointEvent(new Header("run-2", "trainer-0", 1, 1), "c", 0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("run-2");
      assertThatThrownBy(() -> sink.awaitDecision("run-2", "c", Duration.ofMillis(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("run-2");
    }
  }

  static Header header(long step) {
    return new Header(RUN, "trainer-0", step, System.currentTimeMillis());
  }

  static ActivationSummaryEvent wideActivationSummary() {
    int neurons = 1300;
    java.util.Random random = new java.util.Random(3);
    float[] rows = new float[25 * neurons];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextFloat();
    }
    ActivationSummary summary = ActivationSummary.empty(neurons, ActivationSummary.Spec.DEFAULT);
    summary.addRows(rows);
    // what the wire carries: float32 values, so the decoded event can equal the published one
    ActivationSummaryEvent published =
        new ActivationSummaryEvent(header(50), "hybrid1", 10, summary);
    return (ActivationSummaryEvent) EventCodec.decode(EventCodec.encode(published));
  }

  static RunStarted runStarted() {
    return new RunStarted(header(0), 1, List.of(new LayerSpec("l1.snn", LayerKind.SNN, 8, 4, "")));
  }

  private static DecisionEvent decision(String run, String checkpoint) {
    return new DecisionEvent(
        new Header(run, "agent", 100, System.currentTimeMillis()),
        checkpoint,
        List.of(
            new DecisionEvent.LayerDecision(
                "l1.snn",
                new boolean[] {true, false, true, true, false, true, true, true},
                new float[] {1, 0, 2, 3, 0, 4, 5, 6})),
        Map.of("hap", 1.0),
        "test",
        List.of());
  }

  private static void produceDecision(String bootstrap, Event d) throws Exception {
    produceDecision(bootstrap, Topics.DECISIONS, d);
  }

  private static void produceDecision(String bootstrap, String topic, Event d) throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  topic, d.runId().getBytes(StandardCharsets.UTF_8), EventCodec.encode(d)))
          .get();
    }
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, int expected) {
    return KafkaRecords.read(bootstrap, Topics.TELEMETRY, expected, r -> true);
  }

  private static List<ConsumerRecord<String, byte[]>> consume(
      String bootstrap, int expected, Predicate<ConsumerRecord<String, byte[]>> match) {
    return KafkaRecords.read(bootstrap, Topics.TELEMETRY, expected, match);
  }

  /** How many records {@code topic} holds (the sum of its partitions' end offsets). */
  private static long recordsIn(String bootstrap, String topic) {
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return c.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
