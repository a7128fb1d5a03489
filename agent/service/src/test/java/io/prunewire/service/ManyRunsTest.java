package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many runs at once on one partition (issue 15, item 5): 200 runs of four trainers each, every
 * barrier open at the same time, are each decided at both of their checkpoints by all four
 * trainers; the partition holds exactly {@code max.active.runs} of them and refuses one more; the
 * agent's own accounting ({@code prunewire_state_bytes}, {@code prunewire_active_runs}) equals what
 * its stores hold and does not grow per run with the number of runs; and once stream time has
 * passed {@code run.retention}, every one of them is retired: no store entry, gauge or state byte
 * of theirs is left, and the place they held admits a new run.
 */
class ManyRunsTest {

  private static final Logger LOG = LoggerFactory.getLogger(ManyRunsTest.class);

  static final int RUNS = 200;
  static final int FLEET = 4;
  static final int NEURONS = 8;
  static final Duration RETENTION = Duration.ofMinutes(10);

  /** Far above one run of two 8-neuron layers (a few KB), far below the default 256 MiB. */
  static final long STATE_LIMIT = 64 << 10;

  /** The stores that hold a run's entries (the retired store holds ids of runs gone). */
  static final List<String> RUN_STORES = RunRetirementTest.STORES;

  static EmbeddedKafka kafka;
  @TempDir Path stateDir;

  /** Record time of the runs: two hours back, so that no record is capped at the clock. */
  final long t0 = System.currentTimeMillis() - Duration.ofHours(2).toMillis();

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void twoHundredRunsOfFourTrainersAreAllDecidedWithinTheLimitsAndRetiredAfterTheRetention()
      throws Exception {
    String topics = UUID.randomUUID().toString();
    AgentConfig config =
        KafkaTestSupport.config(stateDir)
            .maxActiveRuns(RUNS)
            .maxStateBytesPerRun(STATE_LIMIT)
            .runRetention(RETENTION)
            .telemetryTopic("telemetry-" + topics)
            .decisionsTopic("decisions-" + topics)
            .deadLetterTopic("dead-letter-" + topics)
            .build();
    List<List<SimulatedTrainer>> fleets =
        IntStream.range(0, RUNS)
            .mapToObj(
                r ->
                    IntStream.range(0, FLEET)
                        .mapToObj(
                            t ->
                                new SimulatedTrainer(
                                    String.format("run-%03d", r), "t" + t, FLEET, NEURONS))
                        .toList())
            .toList();
    SimulatedTrainer extra = new SimulatedTrainer("run-extra", "t0", 1, NEURONS);
    SimulatedTrainer late = new SimulatedTrainer("run-late", "t0", 1, NEURONS);

    try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
        KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
      long start = System.nanoTime();
      long cpuBefore = streamThreadsCpuNanos();
      send(p, config, t0, opening(fleets, extra));
      List<DecisionEvent> decided =
          KafkaTestSupport.decisions(
              kafka.bootstrapServers(),
              config.topics().decisions(),
              2 * RUNS,
              Duration.ofSeconds(120));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      long cpuMillis = (streamThreadsCpuNanos() - cpuBefore) / 1_000_000;

      Map<String, List<DecisionEvent>> byRun = new TreeMap<>();
      decided.forEach(d -> byRun.computeIfAbsent(d.runId(), k -> new ArrayList<>()).add(d));
      assertThat(byRun).as("runs decided").hasSize(RUNS);
      byRun.forEach(
          (run, ds) -> {
            assertThat(ds).extracting(DecisionEvent::checkpointId).containsExactly("c1", "c2");
            assertThat(ds).allSatisfy(d -> assertThat(d.missingTrainers()).as(run).isEmpty());
            assertThat(kept(ds.get(0))).as("%s kept at c1", run).isEqualTo(2 * NEURONS - 4);
            assertThat(kept(ds.get(1))).as("%s kept at c2", run).isEqualTo(2 * NEURONS - 8);
          });
      assertThat(deadLetterReasons(config, 1))
          .as("the run beyond max.active.runs, and nothing else")
          .containsExactly(Map.entry("run-extra", "limit_exceeded"));

      String scrape = agent.metrics().scrape();
      assertThat(Scrape.value(scrape, "prunewire_active_runs{partition=\"0\"}"))
          .as("the partition holds max.active.runs runs")
          .isEqualTo(RUNS);
      assertThat(Scrape.value(scrape, "prunewire_decisions_total{reason=\"complete\"}"))
          .isEqualTo(2 * RUNS);
      assertThat(Scrape.value(scrape, "prunewire_decisions_total{reason=\"timeout\"}")).isZero();
      Map<String, Long> held = storeBytes(agent);
      for (String store : RUN_STORES) {
        assertThat(stateBytes(scrape, store))
            .as("accounted bytes of %s: what it holds", store)
            .isEqualTo(held.get(store));
      }
      Map<String, Long> perRun = bytesPerRun(agent);
      assertThat(perRun).hasSize(RUNS);
      assertThat(perRun.values())
          .as("runs entry and evidence of every run, within max.state.bytes.per.run")
          .allSatisfy(b -> assertThat(b).isPositive().isLessThanOrEqualTo(STATE_LIMIT));
      long total = RUN_STORES.stream().mapToLong(held::get).sum();
      LOG.info(
          "{} runs x {} trainers: all {} decisions {} ms after the first record, {} ms of stream"
              + " thread CPU; {} bytes of state per run ({} in all), runs entry and evidence {} to {}"
              + " bytes",
          RUNS,
          FLEET,
          decided.size(),
          elapsedMillis,
          cpuMillis,
          total / RUNS,
          total,
          perRun.values().stream().mapToLong(Long::longValue).min().orElseThrow(),
          perRun.values().stream().mapToLong(Long::longValue).max().orElseThrow());

      // Stream time passes the retention: run-late's RunStarted first retires the 200 runs, then
      // takes one of the places they freed.
      long cpuBeforeRetiring = streamThreadsCpuNanos();
      send(p, config, t0 + RETENTION.plusMinutes(1).toMillis(), List.of(late.started()));
      // A query iterates the record cache and RocksDB side by side, and a commit flushing the
      // deletes from one to the other meanwhile can show entries already gone: wait until one
      // reading of the stores shows only run-late, with exactly the bytes the agent accounts.
      await("only run-late left in the stores, its bytes accounted")
          .atMost(Duration.ofSeconds(60))
          .until(() -> runsHeld(agent).equals(Set.of("run-late")) && accountedAsHeld(agent));
      LOG.info(
          "{} runs retired with {} ms of stream thread CPU",
          RUNS,
          (streamThreadsCpuNanos() - cpuBeforeRetiring) / 1_000_000);
      String after = agent.metrics().scrape();
      assertThat(Scrape.value(after, "prunewire_runs_retired_total")).isEqualTo(RUNS);
      assertThat(Scrape.value(after, "prunewire_active_runs{partition=\"0\"}")).isEqualTo(1);
      assertThat(after.lines().filter(l -> l.contains("run=\"run-")))
          .as("series of retired runs")
          .isEmpty();
    }
  }

  /**
   * Every trainer joins (and one run more than the partition may hold), then trainer by trainer
   * every run's summaries, ablations and checkpoint {@code c1}, then likewise checkpoint {@code
   * c2}, decided on the same evidence: each barrier stays open until the last trainer of its run
   * reports, so all 200 are open at once.
   */
  private static List<Event> opening(List<List<SimulatedTrainer>> fleets, SimulatedTrainer extra) {
    List<Event> events = new ArrayList<>();
    fleets.forEach(f -> f.forEach(t -> events.add(t.started())));
    events.add(extra.started());
    for (int t = 0; t < FLEET; t++) {
      for (List<SimulatedTrainer> fleet : fleets) {
        SimulatedTrainer trainer = fleet.get(t);
        events.addAll(trainer.summaries(10));
        events.add(trainer.ablations(20, "c1"));
        events.add(trainer.checkpoint(20, "c1", 4));
      }
    }
    for (int t = 0; t < FLEET; t++) {
      for (List<SimulatedTrainer> fleet : fleets) {
        events.add(fleet.get(t).checkpoint(40, "c2", 4));
      }
    }
    return events;
  }

  /** Sends the events in order as records stamped {@code timestamp}, and waits for all. */
  private static void send(
      KafkaProducer<String, byte[]> p, AgentConfig config, long timestamp, List<Event> events) {
    events.forEach(
        e ->
            p.send(
                new ProducerRecord<>(
                    config.topics().telemetry(), null, timestamp, e.runId(), EventCodec.encode(e)),
                (m, error) -> {
                  if (error != null) {
                    LOG.error("send failed", error);
                  }
                }));
    p.flush();
  }

  /** (run, reason) of the first {@code count} dead letters. */
  private static List<Map.Entry<String, String>> deadLetterReasons(AgentConfig config, int count) {
    List<Map.Entry<String, String>> reasons = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r :
        readUntil(
            kafka.bootstrapServers(),
            config.topics().deadLetter(),
            rs -> rs.size() >= count,
            Duration.ofSeconds(30))) {
      reasons.add(
          Map.entry(
              r.key(),
              new String(
                  r.headers().lastHeader(TelemetryProcessor.HEADER_REASON).value(),
                  StandardCharsets.UTF_8)));
    }
    return reasons;
  }

  /**
   * CPU time of the agent's stream threads so far: what the runs cost the agent, apart from the
   * broker and the test sharing the machine (logged, not asserted).
   */
  private static long streamThreadsCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().contains("StreamThread"))
        .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId())))
        .sum();
  }

  /** Whether {@code prunewire_state_bytes} of each store equals the bytes the store holds. */
  private static boolean accountedAsHeld(PrunewireAgent agent) {
    String scrape = agent.metrics().scrape();
    Map<String, Long> held = storeBytes(agent);
    return RUN_STORES.stream().allMatch(s -> stateBytes(scrape, s) == held.get(s));
  }

  /** The runs with an entry in any of {@link #RUN_STORES}. */
  private static Set<String> runsHeld(PrunewireAgent agent) {
    Set<String> runs = new TreeSet<>();
    for (String store : RUN_STORES) {
      try (KeyValueIterator<String, byte[]> it = agent.store(store).all()) {
        it.forEachRemaining(kv -> runs.add(runOf(kv.key)));
      }
    }
    return runs;
  }

  /** The run of a store key: the key, or its part before the first field separator. */
  private static String runOf(String key) {
    return key.split("\u001f", 2)[0];
  }

  private static int kept(DecisionEvent d) {
    return d.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum();
  }

  private static long stateBytes(String scrape, String store) {
    return Math.round(Scrape.value(scrape, "prunewire_state_bytes{store=\"" + store + "\"}"));
  }

  /** Bytes of the values each store holds. */
  private static Map<String, Long> storeBytes(PrunewireAgent agent) {
    Map<String, Long> bytes = new HashMap<>();
    for (String store : RUN_STORES) {
      long sum = 0;
      try (KeyValueIterator<String, byte[]> it = agent.store(store).all()) {
        while (it.hasNext()) {
          sum += it.next().value.length;
        }
      }
      bytes.put(store, sum);
    }
    return bytes;
  }

  /**
   * What {@code max.state.bytes.per.run} limits, per run: its runs entry and its evidence parts
   * (keyed run ␟ layer ␟ part).
   */
  private static Map<String, Long> bytesPerRun(PrunewireAgent agent) {
    Map<String, Long> bytes = new TreeMap<>();
    for (String store : List.of(AgentTopology.RUNS_STORE, AgentTopology.EVIDENCE_STORE)) {
      try (KeyValueIterator<String, byte[]> it = agent.store(store).all()) {
        it.forEachRemaining(kv -> bytes.merge(runOf(kv.key), (long) kv.value.length, Long::sum));
      }
    }
    return bytes;
  }
}
