package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.sendAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs are retired by stream time: the record timestamps the test chooses move the partition's
 * clock, so ten minutes of retention pass in a few records. A run quiet for the retention loses
 * every store entry (with changelog tombstones), every per-run series and its place under {@code
 * max.active.runs}; a run that keeps sending does not; a retired run that sends again is refused as
 * {@code retired_run} until its {@code RunStarted}, after which it starts afresh, and as {@code
 * unknown_run} once the retirement is forgotten.
 */
class RunRetirementTest {

  static final Duration RETENTION = Duration.ofMinutes(10);

  /** How long a condition may take to come true. */
  static final Duration WAIT = Duration.ofSeconds(30);

  static final List<String> STORES =
      List.of(
          AgentTopology.RUNS_STORE,
          AgentTopology.EVIDENCE_STORE,
          AgentTopology.DECISIONS_STORE,
          AgentTopology.FUSION_STORE);

  static EmbeddedKafka kafka;
  @TempDir Path stateDir;

  /**
   * Record time of each test's first record: two hours back, so that no record is capped at the
   * clock.
   */
  final long t0 = System.currentTimeMillis() - Duration.ofHours(2).toMillis();

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** Two runs per partition at most, on topics of the test's own. */
  private AgentConfig config() {
    String topics = UUID.randomUUID().toString();
    return KafkaTestSupport.config(stateDir)
        .runRetention(RETENTION)
        .maxActiveRuns(2)
        .telemetryTopic("telemetry-" + topics)
        .decisionsTopic("decisions-" + topics)
        .deadLetterTopic("dead-letter-" + topics)
        .build();
  }

  @Test
  void aRunQuietForTheRetentionLeavesNoStateNorSeriesAndFreesItsPlaceWhileAnActiveRunStays()
      throws Exception {
    AgentConfig config = config();
    SimulatedTrainer old = new SimulatedTrainer("run-old", "t1", 1, 8);
    SimulatedTrainer live = new SimulatedTrainer("run-live", "t1", 1, 8);
    SimulatedTrainer early = new SimulatedTrainer("run-early", "t1", 1, 8);
    SimulatedTrainer late = new SimulatedTrainer("run-late", "t1", 1, 8);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      List<Event> first = new ArrayList<>(List.of(old.started()));
      first.addAll(old.summaries(10));
      first.add(old.ablations(20, "c1"));
      first.add(old.checkpoint(20, "c1", 4));
      at(p, config, 0, first);
      decision(config, "run-old", "c1");
      assertThat(seriesOf(agent, "run-old")).as("per-run series of a decided run").isNotEmpty();
      Map<String, List<String>> oldKeys = keysOf(agent, "run-old");
      assertThat(oldKeys.get(AgentTopology.FUSION_STORE))
          .as("learned and outcome fusion")
          .hasSize(2);
      assertThat(oldKeys.get(AgentTopology.EVIDENCE_STORE)).as("4 parts of 2 layers").hasSize(8);
      assertThat(oldKeys.get(AgentTopology.DECISIONS_STORE)).hasSize(1);

      List<Event> second = new ArrayList<>(List.of(live.started()));
      second.addAll(live.summaries(10));
      at(p, config, 1, second);
      at(p, config, 5, List.of(early.started())); // two runs held, neither quiet for 10 minutes
      at(p, config, 6, live.summaries(30));
      at(p, config, 11, live.summaries(50)); // run-old quiet for 11 minutes, run-live for 5
      await("a run retired")
          .atMost(WAIT)
          .until(() -> !agent.metrics().scrape().contains("prunewire_runs_retired_total 0.0"));

      assertThat(keysOf(agent, "run-live").get(AgentTopology.RUNS_STORE))
          .as("run-live kept")
          .containsExactly("run-live");
      assertThat(keysOf(agent, "run-live").get(AgentTopology.EVIDENCE_STORE)).hasSize(8);
      assertThat(agent.metrics().scrape()).contains("prunewire_runs_retired_total 1.0");
      // Awaited: a query iterates the store's cache and RocksDB separately, so while a commit moves
      // the deletions from one to the other it can still meet the deleted entries for a moment.
      await("no key of run-old in any store")
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Map<String, List<String>> after = keysOf(agent, "run-old");
                STORES.forEach(
                    s -> assertThat(after.get(s)).as("keys of run-old in %s", s).isEmpty());
              });
      for (String store : STORES) {
        assertTombstones(config, store, oldKeys.get(store));
      }
      assertThat(seriesOf(agent, "run-old")).as("series of the retired run").isEmpty();
      assertThat(agent.store(AgentTopology.RETIRED_STORE).get("run-old"))
          .as("run-old remembered as retired")
          .isNotNull();
      assertThat(agent.metrics().scrape()).contains("prunewire_active_runs{partition=\"0\"} 1.0");

      List<Event> third = new ArrayList<>(List.of(late.started()));
      third.addAll(late.summaries(10));
      third.add(late.checkpoint(20, "c1", 4));
      third.add(live.checkpoint(60, "c1", 4));
      at(p, config, 12, third);
      assertThat(decision(config, "run-late", "c1").layers())
          .as("run-late admitted and decided")
          .hasSize(2);
      assertThat(decision(config, "run-live", "c1").layers()).as("run-live still known").hasSize(2);
      assertThat(agent.metrics().scrape())
          .contains("prunewire_active_runs{partition=\"0\"} 2.0")
          .contains("prunewire_max_active_runs 2.0")
          .contains("prunewire_runs_retired_total 1.0");
    }
    Map<String, List<String>> dead = deadLetters(config, "run-early", 1);
    assertThat(dead.get("run-early")).containsExactly("limit_exceeded");
    assertThat(dead).containsOnlyKeys("run-early");
  }

  @Test
  void aRetiredRunIsUnknownUntilItsRunStartedAndThenStartsAfresh() throws Exception {
    AgentConfig config = config();
    SimulatedTrainer run = new SimulatedTrainer("run-back", "t1", 1, 8);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      List<Event> first = new ArrayList<>(List.of(run.started()));
      first.addAll(run.summaries(10));
      first.add(run.checkpoint(20, "c1", 4));
      at(p, config, 0, first);
      DecisionEvent before = decision(config, "run-back", "c1");
      assertThat(before.header().step()).isEqualTo(20);
      // The run's own next record comes after its retention: asking for c1 again would republish
      // it, but
      // the run is retired on the spot and the record is one of a retired run.
      at(p, config, 11, List.of(run.checkpoint(40, "c1", 4)));
      await("run-back retired")
          .atMost(WAIT)
          .until(() -> agent.metrics().scrape().contains("prunewire_runs_retired_total 1.0"));
      assertThat(seriesOf(agent, "run-back")).isEmpty();

      List<Event> again = new ArrayList<>(List.of(run.started()));
      again.addAll(run.summaries(10)); // the same steps: duplicates, had the run's state survived
      again.add(run.checkpoint(40, "c1", 4));
      at(p, config, 11, again);

      List<DecisionEvent> decided = decisions(config, "run-back", 2);
      DecisionEvent fresh = decided.get(1);
      assertThat(fresh.checkpointId()).isEqualTo("c1");
      assertThat(fresh.header().step()).as("decided anew, not republished").isEqualTo(40);
      assertThat(kept(fresh))
          .as("pruned from a whole network again: nothing pruned before it is remembered")
          .isEqualTo(kept(before))
          .isEqualTo(12);
      assertThat(agent.metrics().scrape()).contains("prunewire_decisions_republished_total 0.0");
    }
    assertThat(deadLetters(config, "run-back", 1).get("run-back")).containsExactly("retired_run");
  }

  @Test
  void aRetiredRunIsRememberedForSevenRetentionsAndANeverStartedRunIsUnknown() throws Exception {
    AgentConfig config = config();
    SimulatedTrainer gone = new SimulatedTrainer("run-gone", "t1", 1, 8);
    SimulatedTrainer never = new SimulatedTrainer("run-never", "t1", 1, 8);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      assertThat(agent.awaitReady(Duration.ofSeconds(60)))
          .as("agent ready: its stores can be queried")
          .isTrue();
      List<Event> first = new ArrayList<>(List.of(gone.started()));
      first.addAll(gone.summaries(10));
      at(p, config, 0, first);
      // Minute 11: run-gone quiet for longer than the retention is retired by its own checkpoint.
      at(p, config, 11, List.of(gone.checkpoint(20, "c1", 4), never.checkpoint(20, "c1", 4)));
      await("run-gone retired")
          .atMost(WAIT)
          .until(() -> agent.store(AgentTopology.RETIRED_STORE).get("run-gone") != null);
      // Seven retentions after the retirement (minute 81) it is forgotten; a minute before, it is
      // not.
      at(p, config, 80, List.of(gone.checkpoint(40, "c2", 4)));
      at(p, config, 81, List.of(gone.checkpoint(60, "c3", 4)));
      await("run-gone forgotten by the sweep")
          .atMost(WAIT)
          .until(() -> agent.store(AgentTopology.RETIRED_STORE).get("run-gone") == null);
    }
    Map<String, List<String>> dead = deadLetters(config, "run-gone", 3);
    assertThat(dead.get("run-gone")).containsExactly("retired_run", "retired_run", "unknown_run");
    assertThat(dead.get("run-never")).containsExactly("unknown_run");
  }

  /** Sends the events as records stamped {@code minutes} after {@link #t0}. */
  private void at(
      KafkaProducer<String, byte[]> p, AgentConfig config, int minutes, List<Event> events) {
    long timestamp = t0 + Duration.ofMinutes(minutes).toMillis();
    events.forEach(e -> sendAt(p, config.topics().telemetry(), e, timestamp));
  }

  private static DecisionEvent decision(AgentConfig config, String run, String checkpoint) {
    return decisions(config, run, 1).stream()
        .filter(d -> d.checkpointId().equals(checkpoint))
        .findFirst()
        .orElseThrow();
  }

  private static List<DecisionEvent> decisions(AgentConfig config, String run, int count) {
    return readUntil(
            kafka.bootstrapServers(),
            config.topics().decisions(),
            r -> r.stream().filter(x -> x.key().equals(run)).count() >= count,
            Duration.ofSeconds(45))
        .stream()
        .filter(r -> r.key().equals(run))
        .map(r -> (DecisionEvent) EventCodec.decode(r.value()))
        .toList();
  }

  private static int kept(DecisionEvent d) {
    return d.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum();
  }

  /** Reasons of the dead letters by run, read until {@code count} of {@code run} are there. */
  private static Map<String, List<String>> deadLetters(AgentConfig config, String run, int count) {
    Map<String, List<String>> reasons = new HashMap<>();
    readUntil(
            kafka.bootstrapServers(),
            config.topics().deadLetter(),
            r -> r.stream().filter(x -> x.key().equals(run)).count() >= count,
            Duration.ofSeconds(30))
        .forEach(
            r ->
                reasons
                    .computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(
                        new String(
                            r.headers().lastHeader(TelemetryProcessor.HEADER_REASON).value(),
                            StandardCharsets.UTF_8)));
    return reasons;
  }

  /** Per store, the keys of the run: its id, or its id and a field separator before the rest. */
  private static Map<String, List<String>> keysOf(PrunewireAgent agent, String run) {
    Map<String, List<String>> keys = new HashMap<>();
    for (String store : STORES) {
      List<String> ofRun = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = agent.store(store).all()) {
        it.forEachRemaining(
            kv -> {
              if (kv.key.equals(run) || kv.key.startsWith(run + '\u001f')) {
                ofRun.add(kv.key);
              }
            });
      }
      keys.put(store, ofRun);
    }
    return keys;
  }

  /** The store's changelog ends each of the keys with a tombstone. */
  private static void assertTombstones(AgentConfig config, String store, List<String> keys) {
    String changelog = config.applicationId() + "-" + store + "-changelog";
    Map<String, byte[]> last = new HashMap<>();
    readUntil(
        kafka.bootstrapServers(),
        changelog,
        records -> {
          records.forEach(r -> last.put(r.key(), r.value()));
          return keys.stream().allMatch(k -> last.containsKey(k) && last.get(k) == null);
        },
        Duration.ofSeconds(30));
    keys.forEach(
        k -> assertThat(last).as("changelog %s, key %s", changelog, k).containsEntry(k, null));
  }

  /** Lines of the scrape that carry the run's label. */
  private static List<String> seriesOf(PrunewireAgent agent, String run) {
    return agent.metrics().scrape().lines().filter(l -> l.contains("run=\"" + run + "\"")).toList();
  }
}
