package io.prunewire.service;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires the runs of one partition that have sent nothing for {@link
 * AgentConfig.Limits#runRetention()}: every store entry of such a run — its {@link RunState}, each
 * layer's evidence parts, its stored decisions, its learned, outcome and adaptive fusion states —
 * is deleted through the stores, so the changelogs get tombstones and a restore does not bring the
 * run back; its per-run gauges are removed ({@link AgentMetrics#runRetired}); and it no longer
 * counts towards {@link AgentConfig.Limits#maxActiveRuns()}. A retired run is unknown to the agent:
 * a trainer that sends again must send {@code RunStarted}, and the run then starts afresh, as the
 * first time.
 *
 * <p><b>The clock is stream time</b>: the newest record timestamp the partition has processed
 * ({@link TelemetryTimestamps}, capped at the agent's wall clock). Each applied event stamps its
 * run with the stream time of its processing ({@link RunState#lastActiveMillis}), and a run is
 * expired once stream time has moved {@code run.retention} past its stamp. The sweep is a
 * stream-time punctuator, since nothing can expire while stream time stands still, and every event
 * checks its own run first, and a new run's {@code RunStarted} the partition's runs, so when the
 * punctuator happens to run does not change what any record sees. The wall clock would have been
 * wrong in two ways: after a pause or a lag longer than the retention (the agent down for a
 * weekend) it would retire runs whose newer events still wait in the topic and dead-letter those
 * events as {@code unknown_run}; and replaying a topic it would see every run as fresh and then
 * retire them all at once. Stamping a run with stream time rather than its own records' timestamps
 * keeps a trainer whose clock runs behind from being retired at its first event.
 *
 * <ul>
 *   <li><b>Replay</b>: the same records in the same order give the same stream time at each record,
 *       hence the same retirements between the same records and the same decisions afterwards (only
 *       records stamped in the future when first read may be capped differently).
 *   <li><b>Restart</b>: Kafka Streams commits each partition's stream time with its offsets and
 *       restores it, and the stamps are in the runs store; downtime does not age a run, and the
 *       runs are retired once the records after the pause carry stream time past their retention.
 *   <li><b>exactly_once_v2</b>: the deletes are store writes like any other and commit with the
 *       consumed offsets in one transaction. An instance that dies before the commit leaves the run
 *       in the restored stores, and it is retired again, with the same stream time, by the next
 *       record or sweep. Metrics are not transactional: such a run may be counted twice in {@code
 *       prunewire_runs_retired_total}.
 *   <li><b>Idle partition</b>: without records stream time stands still and nothing is retired; the
 *       first record after the pause retires whatever it leaves expired, and before a new run is
 *       counted against {@code max.active.runs}.
 * </ul>
 *
 * <p>A run stored before stamps existed (runs-store format 3 and older) is stamped by its next
 * event or by the next sweep, so an upgrade gives every old run one full retention to send again.
 *
 * <p><b>What is remembered</b>: the id of a retired run and the stream time of its retirement, for
 * {@link #REMEMBERED_RETENTIONS} retentions, so that its trainers' late events are dead-lettered as
 * {@code retired_run} rather than {@code unknown_run}. This is bounded without a setting of its
 * own: a run is retired only after holding one of the partition's {@code max.active.runs} places
 * for at least a retention, so a window of {@code k} retentions sees at most {@code (k + 1) *
 * max.active.runs} retirements, and the partition remembers at most {@code 8 * max.active.runs} ids
 * (each an id and 8 bytes, on disk in RocksDB like the other stores).
 */
final class RunRetirement {

  private static final Logger LOG = LoggerFactory.getLogger(RunRetirement.class);

  /** How many retentions a retired run's id is remembered: a week at the default 24 h. */
  static final int REMEMBERED_RETENTIONS = 7;

  private final long retentionMillis;
  private final long rememberMillis;
  private final KeyValueStore<String, byte[]> runs;
  private final KeyValueStore<String, byte[]> decisions;
  private final KeyValueStore<String, byte[]> fusion;
  private final KeyValueStore<String, byte[]> retired;
  private final EvidenceStore evidence;
  private final AgentMetrics metrics;
  private final Consumer<RunState> putRun;

  /**
   * @param retired the ids of retired runs and the stream time of their retirement
   * @param putRun writes a run state back to the runs store (for stamping old states)
   */
  RunRetirement(
      Duration retention,
      KeyValueStore<String, byte[]> runs,
      KeyValueStore<String, byte[]> decisions,
      KeyValueStore<String, byte[]> fusion,
      KeyValueStore<String, byte[]> retired,
      EvidenceStore evidence,
      AgentMetrics metrics,
      Consumer<RunState> putRun) {
    this.retentionMillis = retention.toMillis();
    // Saturates rather than overflows for a retention of centuries.
    this.rememberMillis =
        retentionMillis > Long.MAX_VALUE / REMEMBERED_RETENTIONS
            ? Long.MAX_VALUE
            : retentionMillis * REMEMBERED_RETENTIONS;
    this.runs = runs;
    this.decisions = decisions;
    this.fusion = fusion;
    this.retired = retired;
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
    return run.lastActiveMillis != RunState.UNKNOWN_ACTIVITY
        && streamTime - run.lastActiveMillis >= retentionMillis;
  }

  /** Deletes every store entry of the run and its per-run gauges. */
  void retire(RunState run, long streamTime) {
    evidence.delete(run.runId, run.layers);
    for (String checkpoint : run.decided.keySet()) {
      delete(
          decisions,
          AgentTopology.DECISIONS_STORE,
          TelemetryProcessor.decisionKey(run.runId, checkpoint));
    }
    delete(fusion, AgentTopology.FUSION_STORE, run.runId);
    delete(fusion, AgentTopology.FUSION_STORE, OutcomeState.key(run.runId));
    delete(fusion, AgentTopology.FUSION_STORE, AdaptiveStates.key(run.runId));
    delete(runs, AgentTopology.RUNS_STORE, run.runId);
    byte[] at = ByteBuffer.allocate(Long.BYTES).putLong(streamTime).array();
    retired.put(run.runId, at);
    metrics.stateSize(AgentTopology.RETIRED_STORE, run.runId, at.length);
    metrics.runRetired(run.runId);
    LOG.info(
        "run {}: retired after {} ms of stream time without events (run.retention {} ms); {} decisions,"
            + " {} layers",
        run.runId,
        streamTime - run.lastActiveMillis,
        retentionMillis,
        run.decided.size(),
        run.layers.size());
  }

  /**
   * Whether the partition retired this run within the last {@link #REMEMBERED_RETENTIONS}
   * retentions; judged at the record's stream time, so that when the sweep forgets it does not
   * matter.
   */
  boolean remembers(String runId, long streamTime) {
    byte[] at = retired.get(runId);
    return at != null && !forgotten(ByteBuffer.wrap(at).getLong(), streamTime);
  }

  private boolean forgotten(long retiredAt, long streamTime) {
    return streamTime - retiredAt >= rememberMillis;
  }

  /**
   * Retires every expired run of the partition, stamps the runs stored before stamps existed and
   * forgets the retired runs remembered long enough.
   *
   * @return the runs the partition still holds
   */
  int sweep(long streamTime) {
    List<String> forget = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = retired.all()) {
      it.forEachRemaining(
          kv -> {
            if (forgotten(ByteBuffer.wrap(kv.value).getLong(), streamTime)) {
              forget.add(kv.key);
            }
          });
    }
    forget.forEach(id -> delete(retired, AgentTopology.RETIRED_STORE, id));
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
