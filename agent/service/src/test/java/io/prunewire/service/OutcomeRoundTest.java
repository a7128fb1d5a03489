package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outcome-learned fusion against the real broker: the agent asks the v2 trainers of a run to
 * measure removal candidates, decides from their outcomes, and tells v1-only runs it had no probes.
 */
class OutcomeRoundTest {

  static final int NEURONS = 16;

  static EmbeddedKafka kafka;
  static PrunewireAgent agent;
  static AgentConfig config;
  @TempDir static Path stateDir;

  /** A second agent on the same broker, its own topics: {@code outcome.fraction=planned}. */
  static PrunewireAgent plannedAgent;

  static AgentConfig plannedConfig;
  @TempDir static Path plannedStateDir;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.builder().start();
    config =
        KafkaTestSupport.config(stateDir)
            .fusion("outcome")
            .outcomeTimeout(Duration.ofSeconds(2))
            .outcomeCandidates(6)
            .build();
    agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
    plannedConfig =
        KafkaTestSupport.config(plannedStateDir)
            .telemetryTopic("planned.telemetry")
            .decisionsTopic("planned.decisions")
            .deadLetterTopic("planned.dead-letter")
            .fusion("outcome")
            .outcomeTimeout(Duration.ofSeconds(2))
            .outcomeCandidates(6)
            .outcomeFraction(CandidateFraction.parse("planned"))
            .outcomeStart(List.of("magnitude"))
            .outcomeMargin(1)
            .build();
    plannedAgent = PrunewireAgent.start(kafka.bootstrapServers(), plannedConfig);
  }

  @AfterAll
  static void stop() {
    plannedAgent.close();
    agent.close();
    kafka.close();
  }

  private static List<Event> decisionsTopic(String run, Class<? extends Event> until) {
    return decisionsTopic(config, run, until);
  }

  private static List<Event> decisionsTopic(
      AgentConfig config, String run, Class<? extends Event> until) {
    List<Event> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r :
        readUntil(
            kafka.bootstrapServers(),
            config.topics().decisions(),
            rs ->
                rs.stream()
                    .anyMatch(
                        x -> run.equals(x.key()) && until.isInstance(EventCodec.decode(x.value()))),
            Duration.ofSeconds(40))) {
      if (run.equals(r.key())) {
        out.add(EventCodec.decode(r.value()));
      }
    }
    return out;
  }

  private static RunStarted v2(SimulatedTrainer t) {
    RunStarted v1 = t.started();
    return new RunStarted(v1.header(), v1.fleetSize(), v1.layers(), Event.VERSION_2);
  }

  /** A removal's planted damage: the summed importance of the removed neurons, in millinats. */
  private static double plantedDamage(RemovalCandidates.Candidate c) {
    double d = 0;
    for (AblationEvent.Removal r : c.removed()) {
      for (int i : r.neurons()) {
        d += SimulatedTrainer.importance(i) * 1e-3;
      }
    }
    return d;
  }

  private static void reachCheckpoint(
      KafkaProducer<String, byte[]> p, SimulatedTrainer t, RunStarted started) {
    reachCheckpoint(config, p, t, started);
  }

  /** The run's start, summaries and checkpoint c1 at step 100 planning 8 removals. */
  private static void reachCheckpoint(
      AgentConfig config, KafkaProducer<String, byte[]> p, SimulatedTrainer t, RunStarted started) {
    send(p, config.topics().telemetry(), started);
    for (Event e : t.summaries(100)) {
      send(p, config.topics().telemetry(), e);
    }
    send(p, config.topics().telemetry(), t.checkpoint(100, "c1", 8));
  }

  @Test
  void aV2TrainerMeasuresTheCandidatesAndTheDecisionLearnsFromThem() throws Exception {
    String run = "run-mixed";
    SimulatedTrainer t0 = new SimulatedTrainer(run, "t0", 2, NEURONS);
    SimulatedTrainer t1 = new SimulatedTrainer(run, "t1", 2, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      reachCheckpoint(p, t0, v2(t0));
      reachCheckpoint(p, t1, t1.started());

      RemovalCandidates c = (RemovalCandidates) decisionsTopic(run, RemovalCandidates.class).get(0);
      assertThat(c.checkpointId()).isEqualTo("c1");
      assertThat(c.round()).isZero();
      assertThat(c.measurers()).containsExactly("t0");
      assertThat(c.candidates()).hasSizeBetween(2, 6);
      // bottom half of each layer's live neurons
      assertThat(c.candidates()).allSatisfy(k -> assertThat(k.size()).isEqualTo(NEURONS));
      assertThat(c.assignedTo("t0")).isEqualTo(c.candidates());
      for (RemovalCandidates.Candidate k : c.assignedTo("t0")) {
        send(
            p,
            config.topics().telemetry(),
            new RemovalOutcome(t0.header(101), "c1", c.round(), k.id(), plantedDamage(k), 2, 1e-4));
      }
    }
    List<Event> all = decisionsTopic(run, DecisionEvent.class);
    DecisionEvent d = (DecisionEvent) all.get(all.size() - 1);
    int n = ((RemovalCandidates) all.get(0)).candidates().size();

    assertThat(d.reason())
        .contains("outcome fusion")
        .contains("learned from " + n + " measured removals in 1 rounds")
        .contains("round 0: " + n + " of " + n + " candidates measured by [t0]")
        .contains(" ± 0.00010"); // the outcomes' standard errors reach the learner
    DecisionEvent.LayerDecision rnn = d.layers().get(1);
    double pruned = 0;
    double kept = 0;
    for (int i = 0; i < NEURONS; i++) {
      if (rnn.keep()[i]) {
        kept += SimulatedTrainer.importance(i) / rnn.kept();
      } else {
        pruned += SimulatedTrainer.importance(i) / (NEURONS - rnn.kept());
      }
    }
    assertThat(pruned).as("mean planted importance of pruned vs kept neurons").isLessThan(kept);
    String metrics = scrape();
    assertThat(Scrape.value(metrics, "prunewire_fusion_candidates_measured{run=\"run-mixed\"}"))
        .isEqualTo(n);
    if (n >= 3) {
      assertThat(
              Scrape.value(
                  metrics,
                  "prunewire_fusion_rank_agreement{layer=\"h1.rnn\",run=\"run-mixed\",statistic=\"kendall\"}"))
          .isBetween(-1.0, 1.0);
    }
  }

  @Test
  void plannedCandidatesFromAConfiguredStartAndAGainWithinTheNoiseKeepsTheStart() {
    String run = "run-planned";
    SimulatedTrainer t0 = new SimulatedTrainer(run, "t0", 1, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      reachCheckpoint(plannedConfig, p, t0, v2(t0));
    }
    RemovalCandidates c =
        (RemovalCandidates) decisionsTopic(plannedConfig, run, RemovalCandidates.class).get(0);
    // 8 planned of 2 layers x 16 live neurons: a quarter, 4 per layer (a fixed 0.5 would take 8)
    assertThat(c.candidates())
        .isNotEmpty()
        .allSatisfy(
            k ->
                assertThat(k.removed())
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.neurons()).hasSize(NEURONS / 4)));
    // candidate 0 is the incumbent (magnitude); every other gains 0.01 against a combined
    // standard error of 0.028: within the noise at outcome.margin 1
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      for (RemovalCandidates.Candidate k : c.candidates()) {
        send(
            p,
            plannedConfig.topics().telemetry(),
            new RemovalOutcome(
                t0.header(101), "c1", c.round(), k.id(), k.id() == 0 ? 0.30 : 0.29, 4, 0.02));
      }
    }
    List<Event> all = decisionsTopic(plannedConfig, run, DecisionEvent.class);
    assertThat(((DecisionEvent) all.get(all.size() - 1)).reason())
        .contains(
            "incumbent mean of [magnitude] (0.3000 ± 0.020 nats/token) not beaten by more than 1"
                + " combined standard errors")
        .contains("outcome fusion (mean of [magnitude]");
  }

  @Test
  void aRunOfV1TrainersIsDecidedWithoutProbesAndTheReasonSaysSo() {
    String run = "run-v1";
    SimulatedTrainer t0 = new SimulatedTrainer(run, "t0", 1, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      reachCheckpoint(p, t0, t0.started());
    }
    List<Event> all = decisionsTopic(run, DecisionEvent.class);

    assertThat(all).hasSize(1).first().isInstanceOf(DecisionEvent.class);
    assertThat(((DecisionEvent) all.get(0)).reason())
        .contains("no probes")
        .contains("RunStarted version 1")
        .contains("outcome fusion (every criterion")
        .contains("so the run's start (outcome.start) decides");
  }

  @Test
  void missingOutcomesAreWaitedForOnlyUntilTheOutcomeTimeout() {
    String run = "run-slow";
    SimulatedTrainer t0 = new SimulatedTrainer(run, "t0", 1, NEURONS);
    try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      reachCheckpoint(p, t0, v2(t0));
      RemovalCandidates c = (RemovalCandidates) decisionsTopic(run, RemovalCandidates.class).get(0);
      RemovalCandidates.Candidate first = c.candidates().get(0);
      send(
          p,
          config.topics().telemetry(),
          new RemovalOutcome(t0.header(101), "c1", 0, first.id(), plantedDamage(first), 1));
    }
    List<Event> all = decisionsTopic(run, DecisionEvent.class);
    DecisionEvent d = (DecisionEvent) all.get(all.size() - 1);
    int n = ((RemovalCandidates) all.get(0)).candidates().size();

    assertThat(d.reason())
        .contains("round 0: 1 of " + n + " candidates measured by [t0] before outcome.timeout")
        .contains("not beaten, kept");
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
