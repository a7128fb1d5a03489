package io.prunewire.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.RejectReason;
import io.prunewire.scorers.fusion.FusionGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The agent's meters, in Prometheus naming (base units, {@code _total} counters). Names as scraped:
 *
 * <ul>
 *   <li>{@code prunewire_events_consumed_total{type}} — valid events merged into state;
 *   <li>{@code prunewire_events_rejected_total{type,reason}} — events sent to the dead-letter
 *       topic;
 *   <li>{@code prunewire_processing_failures_total} — attempts at a record or a timed-out barrier
 *       that threw unexpectedly (a record is dead-lettered after its second);
 *   <li>{@code prunewire_processing_lag_seconds} — wall clock at processing minus record timestamp
 *       (histogram); {@code prunewire_last_processing_lag_seconds} — that of the last event;
 *   <li>{@code prunewire_neurons_kept{run,layer,type}} — neurons the last decision kept;
 *   <li>{@code prunewire_decision_latency_seconds} — barrier complete to decision produced
 *       (histogram); {@code prunewire_last_decision_latency_seconds{run}} — that of the run's last
 *       decision;
 *   <li>{@code prunewire_decisions_total{reason}} — decisions issued (complete or timeout);
 *   <li>{@code prunewire_barrier_wait_seconds} — first checkpoint report of a (run, checkpoint) to
 *       its barrier completing or timing out (histogram); {@code
 *       prunewire_last_barrier_wait_seconds{run}} — that of the run's last barrier;
 *   <li>{@code prunewire_barrier_missing_trainers{run}} — trainers missing at the run's last
 *       barrier (0 when it completed);
 *   <li>{@code prunewire_decisions_republished_total} — decided checkpoints requested again;
 *   <li>{@code prunewire_decision_acks_total{result}} — acknowledgements whose mask hash matched
 *       the decision ({@code match}) or not ({@code mismatch});
 *   <li>{@code prunewire_decision_refusals_total{reason}} — decisions trainers refused ({@code
 *       DecisionRefusal}), by their reason code;
 *   <li>{@code prunewire_fusion_weight{run,criterion}} — the fusion weights of the last decision;
 *   <li>{@code prunewire_ranking_spearman{run,scorer}} — Spearman of the learned fusion and of the
 *       HAP baseline against the ablation probes;
 *   <li>{@code prunewire_decision_fused_score{run,layer,stat}} — the fused scores of the run's last
 *       decision: {@code min}, {@code p10}, {@code p50}, {@code p90}, {@code max}, {@code mean};
 *   <li>{@code prunewire_state_bytes{store}} — serialised size of the state in each store;
 *   <li>{@code prunewire_active_runs{partition}} — runs the partition's state holds (what {@code
 *       max.active.runs} counts); {@code prunewire_runs_retired_total} — runs whose state was
 *       deleted after {@code run.retention} without events, each of which also loses every series
 *       labelled with it ({@link #runRetired}); {@code prunewire_max_active_runs} — the setting;
 *   <li>fusion evidence: {@code prunewire_fusion_fallback_total{reason}}, {@code
 *       prunewire_fusion_candidates_measured{run}}, {@code
 *       prunewire_fusion_rank_agreement{run,layer,statistic}}, {@code
 *       prunewire_fusion_criteria_weight{run,layer,criterion}} (see their block below);
 *   <li>JVM basics: {@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code
 *       process_cpu_usage}.
 * </ul>
 *
 * <p>What a dashboard must show between decisions is a gauge that holds the last decision's value
 * (a Micrometer percentile or maximum expires after two minutes without a record); what needs a
 * quantile over a time range is a histogram with fixed buckets. Every counter is registered at 0
 * for each type, reason and result the code knows, so that a clean run shows 0 rather than no data.
 */
public final class AgentMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final Timer processingLag;
  private final Timer decisionLatency;
  private final Timer barrierWait;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Map<Tags, Value> kept = new ConcurrentHashMap<>();
  private final Map<Tags, Value> weights = new ConcurrentHashMap<>();
  private final Map<Tags, Value> spearman = new ConcurrentHashMap<>();
  private final Map<Tags, Value> missingTrainers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> stateSizes = new ConcurrentHashMap<>();
  private final Map<Tags, Value> lastDecisionLatency = new ConcurrentHashMap<>();
  private final Map<Tags, Value> lastBarrierWait = new ConcurrentHashMap<>();
  private final Map<Tags, Value> fusedScoreStats = new ConcurrentHashMap<>();
  private final Map<Tags, Value> activeRuns = new ConcurrentHashMap<>();
  private final Value lastProcessingLag = new Value();

  /**
   * Per run, every gauge labelled with it and the holder map it sits in: what a retired run takes
   * away, found without scanning the gauges of every other run (a partition retires up to {@code
   * max.active.runs} runs in one sweep, so a scan would cost runs² tag comparisons).
   */
  private final Map<String, Queue<Series>> seriesOfRun = new ConcurrentHashMap<>();

  /** What completes a barrier: every live trainer reported, or the barrier timed out. */
  static final List<String> DECISION_REASONS = List.of("complete", "timeout");

  /** Histogram bucket bounds: around the 250 ms decision target, up to a stalled decision. */
  private static final Duration[] DECISION_LATENCY_BUCKETS =
      durations(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  /** Up to the ten-minute lag the alert rules look at, and beyond. */
  private static final Duration[] LAG_BUCKETS =
      durations(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800);

  /** Up to several barrier timeouts (default 60 s). */
  private static final Duration[] BARRIER_WAIT_BUCKETS =
      durations(0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);

  public AgentMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public AgentMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.processingLag =
        Timer.builder("prunewire.processing.lag")
            .description("Wall-clock time from an event's record timestamp to its processing")
            .serviceLevelObjectives(LAG_BUCKETS)
            .register(registry);
    this.decisionLatency =
        Timer.builder("prunewire.decision.latency")
            .description("Time from a complete (or timed-out) checkpoint barrier to the decision")
            // in-process percentiles for decisionLatencyMillis (the agent benchmark); the scrape
            // carries the buckets only
            .publishPercentiles(0.5, 0.99)
            .serviceLevelObjectives(DECISION_LATENCY_BUCKETS)
            .register(registry);
    registerFusionFallbacks();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    this.barrierWait =
        Timer.builder("prunewire.barrier.wait")
            .description(
                "Time from the first checkpoint report to the barrier completing or timing out")
            .serviceLevelObjectives(BARRIER_WAIT_BUCKETS)
            .register(registry);
    countersAtZero();
    Gauge.builder("prunewire.last.processing.lag", lastProcessingLag, v -> v.value)
        .description("Wall-clock time from the last event's record timestamp to its processing")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Registers every counter at 0 for each event type, reject reason, decision reason and ack result
   * the code knows, so that a clean run's rate and share panels read 0 instead of no data.
   */
  private void countersAtZero() {
    List<String> types = new ArrayList<>();
    for (EventType t : EventType.values()) {
      types.add(TelemetryProcessor.typeTag(t));
      consumedCounter(TelemetryProcessor.typeTag(t));
    }
    types.add(TelemetryProcessor.UNKNOWN_TYPE); // a record whose type byte names no event
    for (String type : types) {
      for (RejectReason r : RejectReason.values()) {
        rejectedCounter(type, r.code());
      }
    }
    for (String reason : DECISION_REASONS) {
      decisionsCounter(reason);
    }
    republishedCounter();
    ackCounter(true);
    ackCounter(false);
    retiredCounter();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops listening to garbage-collection notifications. */
  @Override
  public void close() {
    gcMetrics.close();
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** Events processed so far: consumed plus rejected, over every type and reason. */
  public long eventsProcessed() {
    double total = 0;
    for (Counter c : registry.find("prunewire.events.consumed").counters()) {
      total += c.count();
    }
    for (Counter c : registry.find("prunewire.events.rejected").counters()) {
      total += c.count();
    }
    return Math.round(total);
  }

  /**
   * A percentile ({@code 0.5} or {@code 0.99}) of the decision latency in milliseconds over the
   * recent window, or NaN before the first decision.
   */
  public double decisionLatencyMillis(double percentile) {
    for (var v : decisionLatency.takeSnapshot().percentileValues()) {
      if (v.percentile() == percentile) {
        return decisionLatency.count() == 0 ? Double.NaN : v.value(TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalArgumentException(
        "decision latency publishes the 0.5 and 0.99 percentiles, not " + percentile);
  }

  void consumed(String type) {
    consumedCounter(type).increment();
  }

  private Counter consumedCounter(String type) {
    return Counter.builder("prunewire.events.consumed")
        .description("Valid telemetry events merged into the agent's state")
        .tag("type", type)
        .register(registry);
  }

  void rejected(String type, String reason) {
    rejectedCounter(type, reason).increment();
  }

  private Counter rejectedCounter(String type, String reason) {
    return Counter.builder("prunewire.events.rejected")
        .description("Invalid events sent to the dead-letter topic")
        .tags("type", type, "reason", reason)
        .register(registry);
  }

  /** A trainer refused a decision ({@code DecisionRefusal}), by its reason code. */
  void refusal(String reason) {
    Counter.builder("prunewire.decision.refusals")
        .description("Decisions a trainer refused, by the reason it gave")
        .tags("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * One attempt at a record or a timed-out barrier that threw unexpectedly (out of memory
   * included).
   */
  void processingFailure() {
    Counter.builder("prunewire.processing.failures")
        .description(
            "Attempts at processing a record or deciding a barrier that threw unexpectedly")
        .register(registry)
        .increment();
  }

  void processingLag(Duration lag) {
    Duration clamped = lag.isNegative() ? Duration.ZERO : lag;
    processingLag.record(clamped);
    lastProcessingLag.value = seconds(clamped);
  }

  void decision(String run, String reason, Duration latency) {
    decisionsCounter(reason).increment();
    decisionLatency.record(latency);
    gauge(
                lastDecisionLatency,
                "prunewire.last.decision.latency.seconds",
                "Time from the run's last complete (or timed-out) barrier to its decision",
                Tags.of("run", run))
            .value =
        seconds(latency);
  }

  private Counter decisionsCounter(String reason) {
    return Counter.builder("prunewire.decisions")
        .description("Pruning decisions issued, by what completed the barrier")
        .tag("reason", reason)
        .register(registry);
  }

  void barrier(String run, Duration wait, int missing) {
    Duration clamped = wait.isNegative() ? Duration.ZERO : wait;
    barrierWait.record(clamped);
    gauge(
                missingTrainers,
                "prunewire.barrier.missing.trainers",
                "Trainers missing at the run's last checkpoint barrier",
                Tags.of("run", run))
            .value =
        missing;
    gauge(
                lastBarrierWait,
                "prunewire.last.barrier.wait.seconds",
                "Time from the first report of the run's last checkpoint to its barrier completing or timing out",
                Tags.of("run", run))
            .value =
        seconds(clamped);
  }

  void republished() {
    republishedCounter().increment();
  }

  private Counter republishedCounter() {
    return Counter.builder("prunewire.decisions.republished")
        .description("Decided checkpoints requested again and republished unchanged")
        .register(registry);
  }

  void ack(boolean matches) {
    ackCounter(matches).increment();
  }

  private Counter ackCounter(boolean matches) {
    return Counter.builder("prunewire.decision.acks")
        .description("Decision acknowledgements by whether the applied masks match the decision")
        .tag("result", matches ? "match" : "mismatch")
        .register(registry);
  }

  void neuronsKept(String run, String layer, String type, long count) {
    gauge(
                kept,
                "prunewire.neurons.kept",
                "Neurons kept by the last decision",
                Tags.of("run", run, "layer", layer, "type", type))
            .value =
        count;
  }

  /**
   * The run's fusion weights of its last decision; a criterion an earlier decision weighed that is
   * not among them drops to 0 (a subset that moved leaves no stale weight on the dashboard).
   */
  void fusionWeights(String run, Map<String, Double> current) {
    zeroOtherCriteria(weights, run, null, current.keySet());
    current.forEach(
        (criterion, weight) ->
            gauge(
                        weights,
                        "prunewire.fusion.weight",
                        "Fusion weight of a criterion in the last decision",
                        Tags.of("run", run, "criterion", criterion))
                    .value =
                weight);
  }

  /**
   * The criteria gauges of {@code run} (and {@code layer}, if not null) not in {@code keep} → 0.
   */
  private void zeroOtherCriteria(
      Map<Tags, Value> holders, String run, String layer, Set<String> keep) {
    Queue<Series> series = seriesOfRun.get(run);
    if (series == null) {
      return;
    }
    // only the run's own series, not every run's gauges of the map
    for (Series s : series) {
      Value v = s.holders() == holders ? holders.get(s.tags()) : null;
      if (v == null) {
        continue;
      }
      String criterion = v.id.getTag("criterion");
      if (criterion != null
          && !keep.contains(criterion)
          && (layer == null || layer.equals(v.id.getTag("layer")))) {
        v.value = 0;
      }
    }
  }

  void spearman(String run, String scorer, double rho) {
    gauge(
                spearman,
                "prunewire.ranking.spearman",
                "Spearman correlation of a scorer's ranking with the measured ablation loss changes",
                Tags.of("run", run, "scorer", scorer))
            .value =
        rho;
  }

  /**
   * The fused scores of the run's last decision in one layer, held until its next decision:
   * minimum, 10th, 50th and 90th percentile (nearest rank: the value at index ⌈q·n⌉ − 1 of the
   * sorted scores), maximum and mean.
   */
  void fusedScores(String run, String layer, double[] scores) {
    if (scores.length == 0) {
      return;
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    fusedScoreStat(run, layer, "min", sorted[0]);
    fusedScoreStat(run, layer, "p10", nearestRank(sorted, 0.1));
    fusedScoreStat(run, layer, "p50", nearestRank(sorted, 0.5));
    fusedScoreStat(run, layer, "p90", nearestRank(sorted, 0.9));
    fusedScoreStat(run, layer, "max", sorted[sorted.length - 1]);
    fusedScoreStat(run, layer, "mean", Arrays.stream(sorted).average().orElseThrow());
  }

  private void fusedScoreStat(String run, String layer, String stat, double value) {
    gauge(
                fusedScoreStats,
                "prunewire.decision.fused.score",
                "Fused neuron scores of the run's last decision per layer (min, p10, p50, p90, max, mean)",
                Tags.of("run", run, "layer", layer, "stat", stat))
            .value =
        value;
  }

  private static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Duration[] durations(double... seconds) {
    Duration[] out = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return out;
  }

  /**
   * A run was retired ({@code run.retention}): counts it and removes every gauge labelled with it,
   * so that no series of a run the agent has forgotten stays behind (a run that starts again under
   * the same id registers its gauges anew with its next decision).
   */
  void runRetired(String run) {
    Queue<Series> series = seriesOfRun.remove(run);
    if (series != null) {
      for (Series s : series) {
        Value v = s.holders().remove(s.tags());
        if (v != null) {
          registry.remove(v.id);
        }
      }
    }
    retiredCounter().increment();
  }

  private Counter retiredCounter() {
    return Counter.builder("prunewire.runs.retired")
        .description("Runs whose state was deleted after run.retention without events")
        .register(registry);
  }

  /**
   * Runs a partition's state holds, after retiring the expired ones: what {@code max.active.runs}
   * limits.
   */
  void activeRuns(int partition, int runs) {
    gauge(
                activeRuns,
                "prunewire.active.runs",
                "Runs the partition's state holds (max.active.runs counts them)",
                partitionTag(partition))
            .value =
        runs;
  }

  /**
   * The configured {@code max.active.runs}, exported so that an alert can compare {@code
   * prunewire_active_runs} with it (PrunewireActiveRunsNearLimit) wherever the limit was set.
   */
  void maxActiveRuns(int limit) {
    Gauge.builder("prunewire.max.active.runs", () -> limit)
        .description("The max.active.runs setting: runs one partition's state may hold")
        .register(registry);
  }

  /**
   * The partition's task left this instance (rebalance, shutdown): its count is no longer this
   * instance's.
   */
  void partitionClosed(int partition) {
    Value v = activeRuns.remove(partitionTag(partition));
    if (v != null) {
      registry.remove(v.id);
    }
  }

  private static Tags partitionTag(int partition) {
    return Tags.of("partition", Integer.toString(partition));
  }

  /** Records the serialised size of one key's value in a store (0 removes it). */
  void stateSize(String store, String key, int bytes) {
    Map<String, Integer> sizes =
        stateSizes.computeIfAbsent(
            store,
            s -> {
              Map<String, Integer> m = new ConcurrentHashMap<>();
              Gauge.builder("prunewire.state", m, AgentMetrics::sum)
                  .description("Serialised size of the agent's state per store")
                  .baseUnit("bytes")
                  .tag("store", s)
                  .register(registry);
              return m;
            });
    if (bytes == 0) {
      sizes.remove(key);
    } else {
      sizes.put(key, bytes);
    }
  }

  private static double sum(Map<String, Integer> sizes) {
    DoubleAdder total = new DoubleAdder();
    sizes.values().forEach(total::add);
    return total.sum();
  }

  private Value gauge(Map<Tags, Value> holders, String name, String help, Tags tags) {
    return holders.computeIfAbsent(
        tags,
        t -> {
          Value holder = new Value();
          holder.id =
              Gauge.builder(name, holder, h -> h.value)
                  .description(help)
                  .tags(t)
                  .register(registry)
                  .getId();
          String run = holder.id.getTag("run");
          if (run != null) {
            seriesOfRun
                .computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>())
                .add(new Series(holders, t));
          }
          return holder;
        });
  }

  /** One gauge labelled with a run: the holder map it sits in and its key there. */
  private record Series(Map<Tags, Value> holders, Tags tags) {}

  // ---- Fusion evidence (outcome-learned fusion, fallbacks) ----------------------------------
  //   prunewire_fusion_fallback_total{reason}            layers whose fused scores were replaced
  //   prunewire_fusion_candidates_measured{run}          removal candidates measured over the run
  //   prunewire_fusion_rank_agreement{run,layer,statistic}  Spearman / Kendall of the decision's
  // fused
  //       ranking against the last round's measured outcomes (see DecisionMaker)
  //   prunewire_fusion_criteria_weight{run,layer,criterion} weights that decided each layer

  private final Map<Tags, Value> fusionEvidence = new ConcurrentHashMap<>();

  void fusionFallback(String reason) {
    fallbackCounter(reason).increment();
  }

  /**
   * Every reason at 0 from the start, so that dashboards and alerts see the series before the first
   * fallback.
   */
  private void registerFusionFallbacks() {
    for (FusionGuard.Fallback f : FusionGuard.Fallback.values()) {
      fallbackCounter(f.code());
    }
  }

  private Counter fallbackCounter(String reason) {
    return Counter.builder("prunewire.fusion.fallback")
        .description("Decided layers whose fused scores tied or whose weights collapsed, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  void candidatesMeasured(String run, long count) {
    gauge(
                fusionEvidence,
                "prunewire.fusion.candidates.measured",
                "Removal candidates measured by trainers over the run",
                Tags.of("run", run))
            .value =
        count;
  }

  void rankAgreement(String run, String layer, String statistic, double value) {
    gauge(
                fusionEvidence,
                "prunewire.fusion.rank.agreement",
                "Rank correlation of the fused scores removed per candidate with its measured loss increase",
                Tags.of("run", run, "layer", layer, "statistic", statistic))
            .value =
        value;
  }

  /** A layer's weights in the run's last decision; criteria no longer weighed drop to 0. */
  void layerWeights(String run, String layer, Map<String, Double> current) {
    zeroOtherCriteria(fusionEvidence, run, layer, current.keySet());
    current.forEach(
        (criterion, weight) ->
            gauge(
                        fusionEvidence,
                        "prunewire.fusion.criteria.weight",
                        "Weight of a criterion in a layer's last decision",
                        Tags.of("run", run, "layer", layer, "criterion", criterion))
                    .value =
                weight);
  }

  /** The last value set for one gauge; written by the stream thread, read by the scraper. */
  private static final class Value {
    volatile double value;

    /** The gauge's id, to remove it; set before the holder is published. */
    Meter.Id id;
  }
}
