package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fusions and retention policies chosen by configuration decide a real run: adaptive fusion with
 * top-k retention; the learned fusion collapsed by negative early ablations, caught by the guard.
 */
class ConfiguredStrategiesTest {

  static final int NEURONS = 16;

  @TempDir Path stateDir;

  @Test
  void adaptiveFusionLearnsWeightsAcrossDecisionsAndTopKKeepsK() {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      AgentConfig config =
          KafkaTestSupport.config(stateDir)
              .fusion("adaptive")
              .retention("top-k")
              .retentionK(10)
              .build();
      try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config)) {
        SimulatedTrainer t = new SimulatedTrainer("run-a", "t0", 1, NEURONS);
        List<DecisionEvent> ds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p =
            KafkaTestSupport.producer(kafka.bootstrapServers())) {
          send(p, config.topics().telemetry(), t.started());
          for (int k = 1; k <= 2; k++) {
            for (Event e : t.summaries(100L * k)) {
              send(p, config.topics().telemetry(), e);
            }
            send(p, config.topics().telemetry(), t.checkpoint(100L * k, "c" + k, 0));
            int expected = k;
            ds.clear();
            for (ConsumerRecord<String, byte[]> r :
                readUntil(
                    kafka.bootstrapServers(),
                    config.topics().decisions(),
                    rs -> rs.size() >= expected,
                    Duration.ofSeconds(40))) {
              ds.add((DecisionEvent) EventCodec.decode(r.value()));
            }
          }
        }
        assertThat(ds).hasSize(2);
        assertThat(ds.get(0).reason()).startsWith("top-k retention").contains("adaptive fusion");
        assertThat(ds.get(0).layers()).allSatisfy(l -> assertThat(l.kept()).isEqualTo(10));
        // before any history the weights are equal; after one decision they follow rank stability
        assertThat(new HashSet<>(ds.get(0).fusionWeights().values())).hasSize(1);
        assertThat(new HashSet<>(ds.get(1).fusionWeights().values())).hasSizeGreaterThan(1);
      }
    }
  }

  /**
   * Issue 12's case: every early single ablation lowered the loss, the non-negative fit set all
   * weights to 0 and every fused score was 0, so the layer used to be pruned in index order.
   */
  @Test
  void negativeEarlyAblationsCollapseTheLearnedFusionAndTheDecisionFallsBackSayingWhy()
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      AgentConfig config = KafkaTestSupport.config(stateDir).fusion("learned").build();
      try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config)) {
        SimulatedTrainer t = new SimulatedTrainer("run-neg", "t0", 1, NEURONS);
        List<AblationEvent.Measurement> negative = new ArrayList<>();
        for (int i = 0; i < NEURONS; i++) {
          negative.add(
              new AblationEvent.Measurement(
                  List.of(new AblationEvent.Removal("h1.rnn", new int[] {i})),
                  -1e-3 * (1 + i % 3)));
        }
        try (KafkaProducer<String, byte[]> p =
            KafkaTestSupport.producer(kafka.bootstrapServers())) {
          send(p, config.topics().telemetry(), t.started());
          for (Event e : t.summaries(100)) {
            send(p, config.topics().telemetry(), e);
          }
          send(p, config.topics().telemetry(), new AblationEvent(t.header(100), "c1", negative));
          send(p, config.topics().telemetry(), t.checkpoint(100, "c1", 8));
        }
        DecisionEvent d =
            (DecisionEvent)
                EventCodec.decode(
                    readUntil(
                            kafka.bootstrapServers(),
                            config.topics().decisions(),
                            rs -> !rs.isEmpty(),
                            Duration.ofSeconds(40))
                        .get(0)
                        .value());

        assertThat(d.fusionWeights().values()).containsOnly(0.0);
        assertThat(d.reason()).contains("h1.rnn").contains("fallback (zero_weights) to criterion ");
        DecisionEvent.LayerDecision rnn = d.layers().get(1);
        List<Integer> pruned = new ArrayList<>();
        double prunedImportance = 0;
        double keptImportance = 0;
        for (int i = 0; i < NEURONS; i++) {
          if (rnn.keep()[i]) {
            keptImportance += SimulatedTrainer.importance(i) / rnn.kept();
          } else {
            pruned.add(i);
            prunedImportance += SimulatedTrainer.importance(i) / (NEURONS - rnn.kept());
          }
        }
        assertThat(pruned)
            .isNotEmpty()
            .isNotEqualTo(java.util.stream.IntStream.range(0, pruned.size()).boxed().toList());
        assertThat(prunedImportance).isLessThan(keptImportance);
        HttpResponse<String> scrape =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + agent.metricsPort() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.body())
            .containsPattern(
                "(?m)^prunewire_fusion_fallback_total\\{reason=\"zero_weights\"\\} 2\\.0$")
            .containsPattern(
                "(?m)^prunewire_fusion_fallback_total\\{reason=\"constant_scores\"\\} 0\\.0$");
      }
    }
  }
}
