package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static io.prunewire.service.KafkaTestSupport.sendRaw;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.stats.LayerEvidence;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of issue 13 that stopped the agent (a layer of 2³¹−1 neurons, one of 200 million,
 * 60,000 layers; a record whose processing runs out of memory) are dead-lettered, and the agent
 * stays healthy and goes on deciding for another run.
 */
class AgentLimitsTest {

  static EmbeddedKafka kafka;
  @TempDir Path stateDir;

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

  private static RunStarted started(String run, List<LayerSpec> layers) {
    return new RunStarted(h(run, "kcat-trainer1", 0), 1, layers);
  }

  /**
   * A one-shot schedule pruning a quarter at step 20, decided by fixed weights, on topics of its
   * own so that each test sees only its records.
   */
  private AgentConfig.Builder config() {
    String topics = UUID.randomUUID().toString();
    return KafkaTestSupport.config(stateDir)
        .fusion("seed")
        .schedule("one-shot")
        .scheduleStart(20)
        .targetSparsity(0.25)
        .telemetryTopic("telemetry-" + topics)
        .decisionsTopic("decisions-" + topics)
        .deadLetterTopic("dead-letter-" + topics);
  }

  @Test
  void oversizedRunsAreDeadLetteredByLimitAndAnotherRunIsStillDecided() throws Exception {
    AgentConfig config = config().maxActiveRuns(3).maxStateBytesPerRun(64 << 10).build();
    String topic = config.topics().telemetry();
    byte[] hugeLayer =
        EventCodec.encode(
            started(
                "run-huge-layer",
                List.of(new LayerSpec("giant", LayerKind.RNN, Integer.MAX_VALUE, 1, ""))));
    assertThat(hugeLayer).hasSize(85);
    List<LayerSpec> many = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      many.add(new LayerSpec("l" + i, LayerKind.RNN, 1, 1, ""));
    }
    SimulatedTrainer ok = new SimulatedTrainer("run-ok", "t1", 1, 8);
    SimulatedTrainer wide = new SimulatedTrainer("run-wide", "t1", 1, 600);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      sendRaw(p, topic, "run-huge-layer", hugeLayer);
      send(p, topic, new CheckpointEvent(h("run-huge-layer", "kcat-trainer1", 20), "c1", 0));
      send(
          p,
          topic,
          started("run-200m", List.of(new LayerSpec("wide", LayerKind.RNN, 200_000_000, 1, ""))));
      send(p, topic, started("run-60k", many));
      send(p, topic, ok.started());
      ok.summaries(10).forEach(e -> send(p, topic, e));
      send(p, topic, wide.started());
      wide.summaries(10).forEach(e -> send(p, topic, e));
      send(p, topic, started("run-3", List.of(new LayerSpec("h", LayerKind.RNN, 4, 1, ""))));
      send(p, topic, started("run-4", List.of(new LayerSpec("h", LayerKind.RNN, 4, 1, ""))));
      send(p, topic, ok.checkpoint(20, "c1", 0));

      DecisionEvent decided = decisions(config, 1).get(0);
      assertThat(decided.runId()).isEqualTo("run-ok");
      assertThat(decided.layers())
          .extracting(DecisionEvent.LayerDecision::kept)
          .containsExactly(6, 6);

      Map<String, List<ConsumerRecord<String, byte[]>>> dead =
          readUntil(
                  kafka.bootstrapServers(),
                  config.topics().deadLetter(),
                  r -> r.stream().anyMatch(x -> x.key().equals("run-4")),
                  Duration.ofSeconds(45))
              .stream()
              .collect(Collectors.groupingBy(ConsumerRecord::key));
      assertThat(dead).doesNotContainKeys("run-ok", "run-3");
      assertThat(reasons(dead.get("run-huge-layer")))
          .containsExactly("limit_exceeded", "unknown_run");
      assertThat(detail(dead.get("run-huge-layer").get(0)))
          .contains("'giant'", "2147483647", "max.neurons.per.layer = 65536");
      assertThat(dead.get("run-huge-layer").get(0).value()).isEqualTo(hugeLayer);
      assertThat(reasons(dead.get("run-200m"))).containsExactly("limit_exceeded");
      assertThat(detail(dead.get("run-200m").get(0)))
          .contains("200000000", "max.neurons.per.layer");
      assertThat(reasons(dead.get("run-60k"))).containsExactly("limit_exceeded");
      assertThat(detail(dead.get("run-60k").get(0)))
          .contains("60000 layers", "max.layers.per.run = 1024");
      assertThat(reasons(dead.get("run-wide"))).isNotEmpty().containsOnly("limit_exceeded");
      assertThat(detail(dead.get("run-wide").get(0))).contains("max.state.bytes.per.run = 65536");
      assertThat(reasons(dead.get("run-4"))).containsExactly("limit_exceeded");
      assertThat(detail(dead.get("run-4").get(0))).contains("max.active.runs = 3");

      assertThat(agent.isReady()).isTrue();
      assertThat(get(agent, "/health").statusCode()).isEqualTo(200);
      assertThat(get(agent, "/metrics").body())
          .contains(
              "prunewire_events_rejected_total{reason=\"limit_exceeded\",type=\"run_started\"} 4.0");
    }
  }

  @Test
  void aRecordWhoseProcessingRunsOutOfMemoryIsTriedTwiceThenDeadLetteredAndOtherRunsAreDecided()
      throws Exception {
    AgentConfig config = config().build();
    String topic = config.topics().telemetry();
    RegistryCriteria registry = new RegistryCriteria(config.normalizer().normalizer());
    AtomicInteger poisonAttempts = new AtomicInteger();
    LayerCriteria poisonous =
        new LayerCriteria() {
          @Override
          public List<String> names() {
            return registry.names();
          }

          @Override
          public CriterionScores score(LayerSpec layer, LayerEvidence evidence) {
            if (layer.name().equals("poison")) {
              poisonAttempts.incrementAndGet();
              // What a real allocation beyond the heap throws; the JVM stays usable afterwards.
              throw new OutOfMemoryError("Java heap space");
            }
            return registry.score(layer, evidence);
          }
        };
    SimulatedTrainer ok = new SimulatedTrainer("run-ok", "t1", 1, 8);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config, poisonous);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      send(
          p,
          topic,
          started("run-poison", List.of(new LayerSpec("poison", LayerKind.RNN, 4, 1, ""))));
      send(p, topic, new CheckpointEvent(h("run-poison", "kcat-trainer1", 20), "c1", 0));
      send(p, topic, ok.started());
      ok.summaries(10).forEach(e -> send(p, topic, e));
      send(p, topic, ok.checkpoint(20, "c1", 0));

      DecisionEvent decided = decisions(config, 1).get(0);
      assertThat(decided.runId()).isEqualTo("run-ok");
      List<ConsumerRecord<String, byte[]>> dead =
          readUntil(
              kafka.bootstrapServers(),
              config.topics().deadLetter(),
              r -> r.stream().anyMatch(x -> x.key().equals("run-poison")),
              Duration.ofSeconds(30));
      ConsumerRecord<String, byte[]> poison =
          dead.stream().filter(x -> x.key().equals("run-poison")).findFirst().orElseThrow();
      assertThat(header(poison, TelemetryProcessor.HEADER_REASON)).isEqualTo("processing_failed");
      assertThat(header(poison, TelemetryProcessor.HEADER_TYPE)).isEqualTo("checkpoint");
      assertThat(detail(poison)).contains("2 times", "java.lang.OutOfMemoryError");
      assertThat(poisonAttempts).hasValue(2);
      assertThat(agent.isReady()).isTrue();
      assertThat(get(agent, "/health").statusCode()).isEqualTo(200);
      assertThat(get(agent, "/metrics").body()).contains("prunewire_processing_failures_total 2.0");
    }
  }

  private static List<DecisionEvent> decisions(AgentConfig config, int n) {
    return KafkaTestSupport.decisions(
        kafka.bootstrapServers(), config.topics().decisions(), n, Duration.ofSeconds(45));
  }

  private static List<String> reasons(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> header(r, TelemetryProcessor.HEADER_REASON)).toList();
  }

  private static String detail(ConsumerRecord<String, byte[]> r) {
    return header(r, TelemetryProcessor.HEADER_DETAIL);
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(PrunewireAgent agent, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
