package io.prunewire.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires the runs of one partition that have sent nothing for {@link AgentConfig#runRetention()}:
 * every store entry of such a run — its {@link RunState}, each layer's evidence parts, its stored
 * decisions, its learned, outcome and adaptive fusion states — is deleted through the stores, so the
 * changelogs get tombstones and a restore does not bring the run back; its per-run gauges are removed
 * ({@link AgentMetrics#runRetired}); and it no longer counts towards {@link
 * AgentConfig#maxActiveRuns()}. A retired run is unknown to the agent: a trainer that sends again must
 * send {@code RunStarted}, and the run then starts afresh, as the first time.
 *
 * <p><b>The clock is stream time</b>: the newest record timestamp the partition has processed
 * ({@link TelemetryTimestamps}, capped at the agent's wall clock). Each applied event stamps its run
 * with the stream time of its processing ({@link RunState#lastActiveMillis}), and a run is expired
 * once stream time has moved {@code run.retention} past its stamp. The sweep is a stream-time
 * punctuator, since nothing can expire while stream time stands still, and every event checks its own
 * run first, and a new run's {@code RunStarted} the partition's runs, so when the punctuator happens to
 * run does not change what any record sees. The wall clock would have been wrong in two ways: after a
 * pause or a lag longer than the retention (the agent down for a weekend) it would retire runs whose
 * newer events still wait in the topic and dead-letter those events as {@code unknown_run}; and
 * replaying a topic it would see every run as fresh and then retire them all at once. Stamping a run
 * with stream time rather than its own records' timestamps keeps a trainer whose clock runs behind
 * from being retired at its first event.
 *
 * <ul>
 *   <li><b>Replay</b>: the same records in the same order give the same stream time at each record,
 *       hence the same retirements between the same records and the same decisions afterwards (only
 *       records stamped in the future when first read may be capped differently).
 *   <li><b>Restart</b>: Kafka Streams commits each partition's stream time with its offsets and
 *       restores it, and the stamps are in the runs store; downtime does not age a run, and the runs
 *       are retired once the records after the pause carry stream time past their retention.
 *   <li><b>exactly_once_v2</b>: the deletes are store writes like any other and commit with the
 *       consumed offsets in one transaction. An instance that dies before the commit leaves the run in
 *       the restored stores, and it is retired again, with the same stream time, by the next record or
 *       sweep. Metrics are not transactional: such a run may be counted twice in
 *       {@code prunewire_runs_retired_total}.
 *   <li><b>Idle partition</b>: without records stream time stands still and nothing is retired; the
 *       first record after the pause retires whatever it leaves expired, and before a new run is
 *       counted against {@code max.active.runs}.
 * </ul>
 *
 * <p>A run stored before stamps existed (runs-store format 3 and older) is stamped by its next event
 * or by the next sweep, so an upgrade gives every old run one full retention to send again.
 */
final class RunRetirement {

  private static final Logger LOG = LoggerFactory.getLogger(RunRetirement.class);

  private final long retentionMillis;
  private final KeyValueStore<String, byte[]> runs;
  private final KeyValueStore<String, byte[]> decisions;
  private final KeyValueStore<String, byte[]> fusion;
  private final EvidenceStore evidence;
  private final AgentMetrics metrics;
  private final Consumer<RunState> putRun;

  /** @param putRun writes a run state back to the runs store (for stamping old states) */
  RunRetirement(Duration retention, KeyValueStore<String, byte[]> runs, KeyValueStore<String, byte[]> decisions,
      KeyValueStore<String, byte[]> fusion, EvidenceStore evidence, AgentMetrics metrics, Consumer<RunState> putRun) {
    this.retentionMillis = retention.toMillis();
    this.runs = runs;
    this.decisions = decisions;
    this.fusion = fusion;
    this.evidence = evidence;
    this.metrics = metrics;
    this.putRun = putRun;
  }

  /** How often, in stream time, the sweep looks: a tenth of the retention, within 1 s and 1 min. */
  static Duration sweepInterval(Duration retention) {
    return Duration.ofMillis(Math.max(1_000, Math.min(60_000, retention.toMillis() / 10)));
  }

  /** Whether the run has sent nothing for the retention at this stream time. */
  boolean expired(RunState run, long streamTime) {
    return run.lastActiveMillis != RunState.UNKNOWN_ACTIVITY && streamTime - run.lastActiveMillis >= retentionMillis;
  }

  /** Deletes every store entry of the run and its per-run gauges. */
  void retire(RunState run, long streamTime) {
    evidence.delete(run.runId, run.layers);
    for (String checkpoint : run.decided.keySet()) {
      delete(decisions, AgentTopology.DECISIONS_STORE, TelemetryProcessor.decisionKey(run.runId, checkpoint));
    }
    delete(fusion, AgentTopology.FUSION_STORE, run.runId);
    delete(fusion, AgentTopology.FUSION_STORE, OutcomeState.key(run.runId));
    delete(fusion, AgentTopology.FUSION_STORE, AdaptiveStates.key(run.runId));
    delete(runs, AgentTopology.RUNS_STORE, run.runId);
    metrics.runRetired(run.runId);
    LOG.info("run {}: retired after {} ms of stream time without events (run.retention {} ms); {} decisions,"
        + " {} layers", run.runId, streamTime - run.lastActiveMillis, retentionMillis, run.decided.size(),
        run.layers.size());
  }

  /**
   * Retires every expired run of the partition and stamps the runs stored before stamps existed.
   *
   * @return the runs the partition still holds
   */
  int sweep(long streamTime) {
    List<RunState> held = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = runs.all()) {
      it.forEachRemaining(kv -> held.add(RunState.decode(kv.value)));
    }
    int kept = 0;
    for (RunState run : held) {
      if (expired(run, streamTime)) {
        retire(run, streamTime);
        continue;
      }
      if (run.lastActiveMillis == RunState.UNKNOWN_ACTIVITY && streamTime >= 0) {
        run.lastActiveMillis = streamTime;
        putRun.accept(run);
      }
      kept++;
    }
    return kept;
  }

  private void delete(KeyValueStore<String, byte[]> store, String name, String key) {
    store.delete(key);
    metrics.stateSize(name, key, 0);
  }
}
