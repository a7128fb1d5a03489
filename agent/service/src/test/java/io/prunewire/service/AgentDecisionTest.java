package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.MaskHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two trainers of one run against the real broker: barrier, identical decision, republish, metrics.
 */
class AgentDecisionTest {

  static final int NEURONS = 16;

  static EmbeddedKafka kafka;
  static PrunewireAgent agent;
  static AgentConfig config;
  @TempDir static Path stateDir;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.builder().start();
    config = KafkaTestSupport.config(stateDir).barrierTimeout(Duration.ofSeconds(2)).build();
    agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
  }

  @AfterAll
  static void stop() {
    agent.close();
    kafka.close();
  }

  private static List<DecisionEvent> decisions(String run, int atLeast) {
    List<DecisionEvent> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r :
        readUntil(
            kafka.bootstrapServers(),
            config.topics().decisions(),
            rs -> rs.stream().filter(x -> run.equals(x.key())).count() >= atLeast,
            Duration.ofSeconds(40))) {
      if (run.equals(r.key())) {
        out.add((DecisionEvent) EventCodec.decode(r.value()));
      }
    }
    return out;
  }

  /**
   * What a trainer thread does at a checkpoint: report it, wait for the decision, hash its masks.
   */
  private static Callable<Long> trainerAtCheckpoint(SimulatedTrainer t, long step, int planned) {
    return () -> {
      try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
        for (Event e : t.summaries(step)) {
          send(p, config.topics().telemetry(), e);
        }
        send(p, config.topics().telemetry(), t.ablations(step, "c1"));
        send(p, config.topics().telemetry(), t.checkpoint(step, "c1", planned));
        DecisionEvent d = decisions(t.runId, 1).get(0);
        Map<String, boolean[]> applied = new LinkedHashMap<>();
        d.layers().forEach(l -> applied.put(l.layer(), l.keep()));
        long hash = MaskHash.of(applied);
        send(p, config.topics().telemetry(), new DecisionAck(t.header(step + 1), "c1", hash));
        return hash;
      }
    };
  }

  @Test
  void twoTrainersReceiveTheSameDecisionAndARepeatedRequestRepublishesIt() throws Exception {
    String run = "run-two";
    SimulatedTrainer t1 = new SimulatedTrainer(run, "t1", 2, NEURONS);
    SimulatedTrainer t2 = new SimulatedTrainer(run, "t2", 2, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      send(p, config.topics().telemetry(), t1.started());
      send(p, config.topics().telemetry(), t2.started());
    }
    int planned = 8;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Long> h1 = pool.submit(trainerAtCheckpoint(t1, 100, planned));
      Future<Long> h2 = pool.submit(trainerAtCheckpoint(t2, 100, planned));
      assertThat(h1.get()).isEqualTo(h2.get());
    } finally {
      pool.shutdownNow();
    }
    List<DecisionEvent> ds = decisions(run, 1);
    assertThat(ds).hasSize(1);
    DecisionEvent d = ds.get(0);
    assertThat(d.checkpointId()).isEqualTo("c1");
    assertThat(d.missingTrainers()).isEmpty();
    int kept = d.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum();
    assertThat(kept).isEqualTo(2 * NEURONS - planned);
    // snn_ratio 0.5 of the kept neurons are spiking.
    assertThat(d.layers().get(0).kept()).isEqualTo((2 * NEURONS - planned) / 2);
    assertThat(d.fusionWeights()).isNotEmpty().allSatisfy((c, w) -> assertThat(w).isNotNegative());

    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      send(p, config.topics().telemetry(), t1.checkpoint(100, "c1", planned));
    }
    List<DecisionEvent> again = decisions(run, 2);
    assertThat(again).hasSize(2);
    assertThat(EventCodec.encode(again.get(1))).isEqualTo(EventCodec.encode(d));

    String metrics = scrape();
    assertThat(Scrape.value(metrics, "prunewire_decision_acks_total{result=\"match\"}"))
        .isEqualTo(2);
    assertThat(Scrape.value(metrics, "prunewire_decisions_republished_total")).isEqualTo(1);
    assertThat(Scrape.value(metrics, "prunewire_decisions_total{reason=\"complete\"}"))
        .isEqualTo(1);
    assertThat(
            Scrape.value(
                metrics, "prunewire_neurons_kept{layer=\"h1.snn\",run=\"run-two\",type=\"snn\"}"))
        .isEqualTo(d.layers().get(0).kept());
    assertThat(
            Scrape.value(
                metrics, "prunewire_neurons_kept{layer=\"h1.rnn\",run=\"run-two\",type=\"rnn\"}"))
        .isEqualTo(d.layers().get(1).kept());
    // 4 summaries per layer and trainer, 2 layers, 2 trainers.
    assertThat(
            Scrape.value(metrics, "prunewire_events_consumed_total{type=\"activation_summary\"}"))
        .isEqualTo(4);
    assertThat(Scrape.value(metrics, "prunewire_events_consumed_total{type=\"run_started\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(Scrape.value(metrics, "prunewire_decision_latency_seconds_count"))
        .isGreaterThanOrEqualTo(1);
    assertThat(Scrape.value(metrics, "prunewire_decision_latency_seconds_max")).isBetween(0.0, 5.0);
    assertThat(Scrape.value(metrics, "prunewire_processing_lag_seconds_count")).isGreaterThan(10);
    assertThat(Scrape.value(metrics, "prunewire_state_bytes{store=\"prunewire-evidence\"}"))
        .isGreaterThan(2 * NEURONS * 8 * 20);
    assertThat(Scrape.value(metrics, "prunewire_state_bytes{store=\"prunewire-runs\"}"))
        .isGreaterThan(0);
    // Kafka's own consumer lag of the stream thread, from the bound client metrics.
    assertThat(metrics)
        .containsPattern(
            "kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"[^\"]*StreamThread-1-consumer\"");
    // the last decision's values are gauges that hold until the next decision
    float[] rnnScores = d.layers().get(1).scores();
    double maxScore = Double.NEGATIVE_INFINITY;
    for (float f : rnnScores) {
      maxScore = Math.max(maxScore, f);
    }
    assertThat(
            Scrape.value(
                metrics,
                "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-two\",stat=\"max\"}"))
        .isCloseTo(maxScore, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(Scrape.value(metrics, "prunewire_last_decision_latency_seconds{run=\"run-two\"}"))
        .isBetween(0.0, 5.0);
    assertThat(Scrape.value(metrics, "prunewire_last_barrier_wait_seconds{run=\"run-two\"}"))
        .isGreaterThanOrEqualTo(0);
    for (String c : d.fusionWeights().keySet()) {
      assertThat(
              Scrape.value(
                  metrics, "prunewire_fusion_weight{criterion=\"" + c + "\",run=\"run-two\"}"))
          .isCloseTo(d.fusionWeights().get(c), org.assertj.core.data.Offset.offset(1e-6));
    }
    // The simulated curvature and activations follow the planted importance the ablations measure,
    // so both rankings must agree with the held-out ablations clearly, not just be defined.
    assertThat(
            Scrape.value(metrics, "prunewire_ranking_spearman{run=\"run-two\",scorer=\"learned\"}"))
        .isGreaterThan(0.5);
    assertThat(Scrape.value(metrics, "prunewire_ranking_spearman{run=\"run-two\",scorer=\"hap\"}"))
        .isGreaterThan(0.5);
  }

  @Test
  void barrierTimesOutAndNamesTheMissingTrainer() {
    String run = "run-timeout";
    SimulatedTrainer t1 = new SimulatedTrainer(run, "t1", 2, NEURONS);
    SimulatedTrainer t2 = new SimulatedTrainer(run, "t2", 2, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      send(p, config.topics().telemetry(), t1.started());
      send(p, config.topics().telemetry(), t2.started());
      for (Event e : t1.summaries(10)) {
        send(p, config.topics().telemetry(), e);
      }
      send(p, config.topics().telemetry(), t1.checkpoint(50, "c1", 4));
    }
    DecisionEvent d = decisions(run, 1).get(0);
    assertThat(d.missingTrainers()).containsExactly("t2");
    assertThat(d.reason()).contains("timed out").contains("t2");
    assertThat(d.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
        .isEqualTo(2 * NEURONS - 4);

    // t2 is no longer live: the next checkpoint is decided as soon as t1 reports it.
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      send(p, config.topics().telemetry(), t1.checkpoint(60, "c2", 4));
    }
    DecisionEvent next = decisions(run, 2).get(1);
    assertThat(next.checkpointId()).isEqualTo("c2");
    assertThat(next.missingTrainers()).containsExactly("t2");
    assertThat(next.reason()).contains("lapsed").doesNotContain("timed out");
    assertThat(next.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
        .isEqualTo(2 * NEURONS - 8);

    // t2 sends again and is live: checkpoint c3 waits for both and names nobody missing.
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      for (Event e : t2.summaries(70)) {
        send(p, config.topics().telemetry(), e);
      }
      send(p, config.topics().telemetry(), t1.checkpoint(80, "c3", 2));
      send(p, config.topics().telemetry(), t2.checkpoint(80, "c3", 2));
    }
    DecisionEvent third = decisions(run, 3).get(2);
    assertThat(third.checkpointId()).isEqualTo("c3");
    assertThat(third.missingTrainers()).isEmpty();
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
