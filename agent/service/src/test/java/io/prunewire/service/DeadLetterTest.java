package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static io.prunewire.service.KafkaTestSupport.sendRaw;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.stats.ActivationSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage and invalid events land in the dead-letter topic with their reason; valid traffic flows.
 */
class DeadLetterTest {

  static EmbeddedKafka kafka;
  @TempDir static Path stateDir;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private static Header h(String run, String trainer, long step) {
    return new Header(run, trainer, step, 1_700_000_000_000L + step);
  }

  private static AblationEvent ablation(String run, long step, String layer, int neuron) {
    return new AblationEvent(
        h(run, "t1", step),
        "c1",
        List.of(
            new AblationEvent.Measurement(
                List.of(new AblationEvent.Removal(layer, new int[] {neuron})), 0.01)));
  }

  /** An activation summary of layer l1.rnn (8 rows) whose histogram has {@code bins} bins. */
  private static ActivationSummaryEvent activation(String run, long step, int bins) {
    ActivationSummary a =
        ActivationSummary.empty(
            8, ActivationSummary.Spec.DEFAULT.withHistogram(0, 1, bins).withAnchors(2, 1));
    float[] rows = new float[8 * 8];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (i % 5) / 5f;
    }
    a.addRows(rows);
    return new ActivationSummaryEvent(h(run, "t1", step), "l1.rnn", 8, a);
  }

  @Test
  void invalidEventsAreDeadLetteredWithReasonsAndValidTrafficContinues() throws Exception {
    // This agent decides with the seed fusion's fixed weights instead of the learned ones, and
    // prunes a quarter of the neurons at step 20 by its own one-shot schedule.
    AgentConfig config =
        KafkaTestSupport.config(stateDir)
            .fusion("seed")
            .schedule("one-shot")
            .scheduleStart(20)
            .targetSparsity(0.25)
            .build();
    String topic = config.topics().telemetry();
    String run = "run-dlq";
    RunStarted started =
        new RunStarted(
            h(run, "t1", 0),
            1,
            List.of(
                new LayerSpec("l1.snn", LayerKind.SNN, 8, 4, ""),
                new LayerSpec("l1.rnn", LayerKind.RNN, 8, 4, "")));
    byte[] valid = EventCodec.encode(new CheckpointEvent(h(run, "t1", 5), "c0", 0));
    byte[] badVersion = valid.clone();
    badVersion[2] = 9;
    byte[] badType = valid.clone();
    badType[3] = 15;
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      sendRaw(
          p,
          topic,
          run,
          "not an event".getBytes(StandardCharsets.UTF_8),
          List.of(new RecordHeader("trace-id", "t-42".getBytes(StandardCharsets.UTF_8))));
      sendRaw(p, topic, run, badVersion);
      sendRaw(p, topic, run, badType);
      sendRaw(p, topic, run, truncated);
      send(p, topic, new CheckpointEvent(h("no-such-run", "t1", 5), "c0", 0));
      send(p, topic, started);
      sendRaw(p, topic, "another-key", valid);
      send(p, topic, ablation(run, 10, "l9", 0));
      send(p, topic, ablation(run, 11, "l1.rnn", 8));
      send(p, topic, ablation(run, 12, "l1.rnn", 3));
      send(p, topic, ablation(run, 12, "l1.rnn", 3));
      send(p, topic, ablation(run, 11, "l1.rnn", 2));
      send(p, topic, new CheckpointEvent(h(run, "stranger", 20), "c1", 0));
      send(p, topic, activation(run, 13, 20));
      send(p, topic, activation(run, 14, 10));
      send(p, topic, activation(run, 15, 20));
      send(p, topic, new CheckpointEvent(h(run, "t1", 20), "c1", 0));

      List<ConsumerRecord<String, byte[]>> dead =
          readUntil(
              kafka.bootstrapServers(),
              config.topics().deadLetter(),
              r -> r.size() >= 12,
              Duration.ofSeconds(45));
      assertThat(dead)
          .extracting(r -> header(r, TelemetryProcessor.HEADER_REASON))
          .containsExactly(
              "malformed",
              "unknown_version",
              "unknown_type",
              "malformed",
              "unknown_run",
              "malformed",
              "unknown_layer",
              "index_out_of_range",
              "duplicate",
              "out_of_order",
              "unknown_run",
              "inconsistent");
      assertThat(header(dead.get(11), TelemetryProcessor.HEADER_DETAIL))
          .containsIgnoringCase("bin");
      assertThat(dead.get(0).value()).isEqualTo("not an event".getBytes(StandardCharsets.UTF_8));
      assertThat(header(dead.get(6), TelemetryProcessor.HEADER_DETAIL)).contains("l9");
      assertThat(header(dead.get(6), TelemetryProcessor.HEADER_TYPE)).isEqualTo("ablation");
      assertThat(header(dead.get(5), TelemetryProcessor.HEADER_DETAIL)).contains("another-key");
      assertThat(header(dead.get(0), TelemetryProcessor.HEADER_SOURCE)).startsWith(topic + "-0@");
      // The producer's headers are kept beside the reason headers.
      assertThat(header(dead.get(0), "trace-id")).isEqualTo("t-42");
      assertThat(dead.get(0).headers().toArray())
          .extracting(h -> h.key())
          .containsExactly(
              "trace-id",
              TelemetryProcessor.HEADER_REASON,
              TelemetryProcessor.HEADER_DETAIL,
              TelemetryProcessor.HEADER_TYPE,
              TelemetryProcessor.HEADER_SOURCE);

      List<ConsumerRecord<String, byte[]>> decisions =
          readUntil(
              kafka.bootstrapServers(),
              config.topics().decisions(),
              r -> !r.isEmpty(),
              Duration.ofSeconds(30));
      DecisionEvent d = (DecisionEvent) EventCodec.decode(decisions.get(0).value());
      assertThat(d.runId()).isEqualTo(run);
      assertThat(d.checkpointId()).isEqualTo("c1");
      assertThat(d.missingTrainers()).isEmpty();
      assertThat(d.reason())
          .contains("seed fusion (fixed weights, nothing learned")
          .doesNotContain("learned fitted to")
          .contains("one-shot schedule at step 20");
      assertThat(d.layers()).extracting(DecisionEvent.LayerDecision::kept).containsExactly(6, 6);
      assertThat(d.fusionWeights()).hasSize(SeedFusion.WEIGHTS.size());
      for (SeedFusion.SeedWeight w : SeedFusion.WEIGHTS) {
        assertThat(d.fusionWeights().get(w.criterion()))
            .isCloseTo(w.subWeight() / 4, org.assertj.core.data.Offset.offset(1e-7));
      }

      String scrape = agent.metrics().scrape();
      // The rejected summary left no trace: the stored evidence holds the two valid 8-row ones.
      String changelog = config.applicationId() + "-" + AgentTopology.EVIDENCE_STORE + "-changelog";
      String activationKey = EvidenceStore.key(run, "l1.rnn", EventType.ACTIVATION_SUMMARY);
      List<ConsumerRecord<String, byte[]>> states =
          readUntil(
              kafka.bootstrapServers(),
              changelog,
              r -> r.stream().anyMatch(x -> x.key().equals(activationKey)),
              Duration.ofSeconds(30));
      byte[] last =
          states.stream()
              .filter(x -> x.key().equals(activationKey))
              .reduce((a, b) -> b)
              .orElseThrow()
              .value();
      assertThat(EvidenceCodec.activation(last).value().count()).isEqualTo(16);
      assertThat(scrape)
          .contains("prunewire_events_consumed_total{type=\"activation_summary\"} 2.0")
          .contains("prunewire_events_rejected_total{reason=\"duplicate\",type=\"ablation\"} 1.0")
          .contains("prunewire_events_rejected_total{reason=\"malformed\",type=\"unknown\"} 1.0")
          .contains("prunewire_events_consumed_total{type=\"checkpoint\"} 1.0")
          .contains("prunewire_events_consumed_total{type=\"ablation\"} 1.0");
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
