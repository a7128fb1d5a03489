package io.prunewire.service;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ApplyKey;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.EventValidator;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.LayerSummaryEvent;
import io.prunewire.protocol.RejectReason;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.scorers.fusion.AdaptiveFusion;
import io.prunewire.scorers.fusion.OutcomeFusion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies telemetry to the per-run state and issues decisions at checkpoint barriers.
 *
 * <p>Each record is decoded and validated against the run's state (known run and layer, array
 * lengths, step order per (trainer, layer, type)); an invalid record goes to the dead-letter topic
 * with its reason and never stops the agent. Every handler validates before it writes, so a
 * rejected record leaves no trace in the stores.
 *
 * <p>Barrier: a checkpoint is decided when every live trainer reported it (and, until a barrier
 * first times out, at least {@code fleetSize} trainers registered), or by a wall-clock punctuator
 * once it has been open for {@link AgentConfig#barrierTimeout()}, naming the trainers that were
 * missing; those are no longer live, so later barriers do not wait for them until they send again.
 * A decided checkpoint requested again is republished byte for byte from the decisions store.
 *
 * <p>A decision depends on the input records only, so that a replay writes the same bytes: a
 * complete barrier's decision carries the timestamp of the checkpoint event that completed it, a
 * timed-out one its deadline, the opening checkpoint event's timestamp plus the barrier timeout
 * (not the wall clock at which the punctuator happened to run).
 *
 * <p>Retention: every applied event stamps its run with the partition's stream time; a run silent
 * for {@link AgentConfig.Limits#runRetention()} of stream time is retired by a stream-time
 * punctuator, or first by its own next event, or by a new run's {@code RunStarted} before the runs
 * are counted against {@link AgentConfig.Limits#maxActiveRuns()} ({@link RunRetirement}, which says
 * why stream time). An event of a retired run is then one of an unknown run, as before any {@code
 * RunStarted}, but dead-lettered as {@code retired_run} while the partition remembers the
 * retirement.
 */
final class TelemetryProcessor implements Processor<String, byte[], String, byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryProcessor.class);

  /** Dead-letter header names. */
  static final String HEADER_REASON = "prunewire.reason";

  static final String HEADER_DETAIL = "prunewire.detail";
  static final String HEADER_TYPE = "prunewire.event-type";
  static final String HEADER_SOURCE = "prunewire.source";

  /** The type tag of a record whose type byte names no event. */
  static final String UNKNOWN_TYPE = "unknown";

  /** Attempts at a record whose processing throws unexpectedly: the first and one retry. */
  private static final int MAX_ATTEMPTS = 2;

  private final AgentConfig config;
  private final AgentMetrics metrics;
  private final DecisionMaker decisionMaker;
  private final RunLimits limits;
  private final Optional<DecisionSignatures.Signer> signer;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> runs;
  private KeyValueStore<String, byte[]> decisions;
  private KeyValueStore<String, byte[]> fusion;
  private EvidenceStore evidence;
  private RunRetirement retirement;
  private int partition;

  /**
   * The run state {@link #putRun} last wrote, so that an event's handler and its stamp write it
   * once.
   */
  private RunState lastWritten;

  TelemetryProcessor(
      AgentConfig config,
      AgentMetrics metrics,
      DecisionMaker decisionMaker,
      Optional<DecisionSignatures.Signer> signer) {
    this.config = config;
    this.metrics = metrics;
    this.decisionMaker = decisionMaker;
    this.limits = new RunLimits(config);
    this.signer = signer;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.runs = context.getStateStore(AgentTopology.RUNS_STORE);
    this.decisions = context.getStateStore(AgentTopology.DECISIONS_STORE);
    this.fusion = context.getStateStore(AgentTopology.FUSION_STORE);
    this.evidence = new EvidenceStore(context.getStateStore(AgentTopology.EVIDENCE_STORE), metrics);
    this.retirement =
        new RunRetirement(
            config.limits().runRetention(),
            runs,
            decisions,
            fusion,
            context.getStateStore(AgentTopology.RETIRED_STORE),
            evidence,
            metrics,
            this::putRun);
    this.partition = context.taskId().partition();
    StoredSizes.report(context, metrics);
    metrics.activeRuns(partition, heldRuns());
    long tick = Math.max(100, Math.min(1000, config.barrierTimeout().toMillis() / 4));
    context.schedule(
        Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::expireBarriers);
    context.schedule(
        RunRetirement.sweepInterval(config.limits().runRetention()),
        PunctuationType.STREAM_TIME,
        streamTime -> metrics.activeRuns(partition, retirement.sweep(streamTime)));
  }

  /** The partition's task leaves this instance (or restarts): its gauges go with it. */
  @Override
  public void close() {
    metrics.partitionClosed(partition);
    try {
      StoredSizes.withdraw(context, metrics);
    } catch (RuntimeException e) {
      // a task closed after a failure may have lost its stores; its sizes then stay counted
      LOG.warn("partition {}: could not withdraw its state sizes from the gauge", partition, e);
    }
  }

  /**
   * Processes one record; a record whose processing throws unexpectedly (a bug, out of memory) is
   * tried once more and then dead-lettered as {@code processing_failed}, so one poison record can
   * neither stop the stream thread nor be retried forever. Handlers compute before they write, so a
   * failed attempt leaves the stores as they were. Kafka's own exceptions (a fenced producer, a
   * migrated task, a closed store) are not the record's fault and propagate to Kafka Streams.
   */
  @Override
  public void process(Record<String, byte[]> record) {
    long now = System.currentTimeMillis();
    metrics.processingLag(Duration.ofMillis(now - record.timestamp()));
    for (int attempt = 1; ; attempt++) {
      try {
        processOnce(record, now);
        return;
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        if (e instanceof KafkaException) {
          throw (KafkaException) e;
        }
        metrics.processingFailure();
        if (attempt == MAX_ATTEMPTS) {
          LOG.error("record {} failed {} times; dead-lettering it", source(), attempt, e);
          deadLetter(
              record,
              RejectReason.PROCESSING_FAILED.code(),
              "processing failed "
                  + attempt
                  + " times, last with "
                  + e.getClass().getName()
                  + ": "
                  + e.getMessage());
          return;
        }
        LOG.warn("record {} failed ({}); trying it once more", source(), e.toString());
      }
    }
  }

  private void processOnce(Record<String, byte[]> record, long now) {
    try {
      Event event = EventCodec.decode(record.value());
      if (!event.runId().equals(record.key())) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "record key '"
                + record.key()
                + "' differs from header.runId '"
                + event.runId()
                + "' (records are keyed by run id)");
      }
      apply(event, now, streamTime(record));
      metrics.consumed(typeTag(event.type()));
    } catch (InvalidEventException e) {
      deadLetter(record, e.reason().code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      // Statistics that decode but contradict the run's state (e.g. other histogram bins or
      // co-activation anchors than the summaries merged so far) cannot be merged.
      deadLetter(record, RejectReason.INCONSISTENT.code(), e.getMessage());
    }
  }

  /**
   * The run's state, or null if the partition holds none or holds one that has expired: that one is
   * retired now, before the sweep came to it, so the event meets an unknown run either way.
   */
  private RunState liveRun(String runId, long streamTime) {
    byte[] stored = runs.get(runId);
    RunState run = stored == null ? null : RunState.decode(stored);
    if (run == null || !retirement.expired(run, streamTime)) {
      return run;
    }
    retirement.retire(run, streamTime);
    metrics.activeRuns(partition, heldRuns());
    return null;
  }

  /**
   * The partition's stream time with this record: Kafka Streams advances it before the record is
   * processed; the maximum makes that independent of the version's internals.
   */
  private long streamTime(Record<String, byte[]> record) {
    return Math.max(context.currentStreamTimeMs(), record.timestamp());
  }

  private void apply(Event event, long now, long streamTime) {
    lastWritten = null;
    RunState run = liveRun(event.runId(), streamTime);
    if (run == null
        && !(event instanceof RunStarted)
        && retirement.remembers(event.runId(), streamTime)) {
      throw new InvalidEventException(
          RejectReason.RETIRED_RUN,
          event.type()
              + " of run '"
              + event.runId()
              + "': the run was retired after run.retention without events; its trainers must send RunStarted"
              + " to start it afresh");
    }
    EventValidator.validate(event, run == null ? null : run.declaration());
    if (event instanceof RunStarted e) {
      if (run == null) {
        int held = retirement.sweep(streamTime);
        limits.checkNewRun(e, held);
        metrics.activeRuns(partition, held + 1);
      }
      applyRunStarted(run, e, streamTime);
      return;
    }
    if (!run.trainers.contains(event.trainerId())) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_RUN,
          event.type()
              + ": trainer '"
              + event.trainerId()
              + "' sent no RunStarted for run '"
              + event.runId()
              + "'");
    }
    // A lapsed trainer that sends a valid event is live again, and any valid event keeps the run
    // from
    // retirement (both stored once the event applied; handlers that store the run store them).
    boolean revived = run.lapsed.remove(event.trainerId());
    boolean heard = run.lastActiveMillis != streamTime;
    run.lastActiveMillis = streamTime;
    if (event instanceof CheckpointEvent e) {
      applyCheckpoint(run, e, now);
    } else if (event instanceof AblationEvent e) {
      EventValidator.checkOrder(e, run.lastApplied(ApplyKey.of(e)));
      byte[] learned = decisionMaker.learn(run, evidence, fusion.get(run.runId), e);
      run.applied(ApplyKey.of(e), e.step());
      putRun(run);
      fusion.put(run.runId, learned);
      metrics.stateSize(AgentTopology.FUSION_STORE, run.runId, learned.length);
    } else if (event instanceof LayerSummaryEvent e) {
      EventValidator.checkOrder(e, run.lastApplied(ApplyKey.of(e)));
      String part = RunState.partKey(e.layer(), e.type());
      long others = run.encode().length + run.evidenceBytesExcept(part);
      int bytes =
          evidence.merge(
              run.runId,
              run.layer(e.layer()).orElseThrow(),
              e,
              partBytes -> {
                if (partBytes > limits.partBudget(others)) {
                  throw limits.stateExceeded(
                      run.runId, e.layer(), typeTag(e.type()), partBytes, others);
                }
              });
      if (bytes >= 0) {
        run.evidenceBytes.put(part, bytes);
      }
      run.applied(ApplyKey.of(e), e.step());
      putRun(run);
    } else if (event instanceof DecisionAck e) {
      applyAck(run, e);
    } else if (event instanceof DecisionRefusal e) {
      metrics.refusal(e.reason());
      LOG.warn(
          "run {}: trainer {} refused the decision of checkpoint {} ({}): {}",
          run.runId,
          e.trainerId(),
          e.checkpointId(),
          e.reason(),
          e.detail());
    } else if (event instanceof RemovalOutcome e) {
      applyOutcome(run, e, now);
    } else {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "a "
              + event.type()
              + " belongs on the decisions topic, not on "
              + config.topics().telemetry());
    }
    if (revived) {
      LOG.info("run {}: trainer {} is live again", run.runId, event.trainerId());
    }
    if ((revived || heard) && lastWritten != run) {
      putRun(run);
    }
  }

  private void applyRunStarted(RunState stored, RunStarted e, long streamTime) {
    RunState run = stored == null ? RunState.started(e) : stored;
    run.trainers.add(e.trainerId());
    run.lapsed.remove(e.trainerId());
    run.lastActiveMillis = streamTime;
    putRun(run);
    OutcomeState outcome = outcomeState(run.runId);
    boolean changed =
        e.measuresCandidates()
            ? outcome.measuringTrainers.add(e.trainerId())
            : outcome.measuringTrainers.remove(e.trainerId());
    if (changed) {
      putOutcome(run.runId, outcome);
    }
    LOG.info(
        "run {}: trainer {} joined ({} of {} registered)",
        e.runId(),
        e.trainerId(),
        run.trainers.size(),
        run.fleetSize);
  }

  private void applyAck(RunState run, DecisionAck e) {
    Long hash = run.decided.get(e.checkpointId());
    if (hash == null) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "DecisionAck: run '"
              + run.runId
              + "' has no decision for checkpoint '"
              + e.checkpointId()
              + "'");
    }
    metrics.ack(hash == e.maskHash());
    if (hash != e.maskHash()) {
      LOG.warn(
          "run {}: trainer {} applied masks with hash {} for checkpoint {}, decision has {}",
          run.runId,
          e.trainerId(),
          Long.toHexString(e.maskHash()),
          e.checkpointId(),
          Long.toHexString(hash));
    }
  }

  private void applyCheckpoint(RunState run, CheckpointEvent e, long now) {
    String id = e.checkpointId();
    if (run.decided.containsKey(id)) {
      forwardDecision(run.runId, decisions.get(decisionKey(run.runId, id)), now);
      metrics.republished();
      return;
    }
    RunState.Barrier barrier = run.pending.get(id);
    if (barrier == null) {
      barrier =
          new RunState.Barrier(e.step(), now, e.header().timestampMillis(), e.plannedRemovals());
      run.pending.put(id, barrier);
    }
    barrier.reported.add(e.trainerId());
    if (run.awaited(barrier).isEmpty()) {
      barrierMet(run, id, barrier, false, e.header().timestampMillis(), now);
    } else {
      putRun(run);
    }
  }

  /**
   * A barrier is complete or timed out. With {@code fusion=outcome} and at least one reporting
   * trainer that measures candidates, the agent first publishes the round's {@link
   * RemovalCandidates} and decides once every outcome arrived or {@code outcome.timeout} passed;
   * otherwise it decides now.
   */
  private void barrierMet(
      RunState run,
      String checkpointId,
      RunState.Barrier barrier,
      boolean timedOut,
      long timestampMillis,
      long now) {
    if (!decisionMaker.learnsFromOutcomes()) {
      decide(run, checkpointId, barrier, timedOut, timestampMillis, now, null, null, "");
      return;
    }
    OutcomeState outcome = outcomeState(run.runId);
    if (outcome.round != null && outcome.round.checkpointId().equals(checkpointId)) {
      putRun(run); // already measuring; a trainer's repeated report changes nothing else
      return;
    }
    List<String> measurers =
        barrier.reported.stream().filter(outcome.measuringTrainers::contains).toList();
    String note;
    if (outcome.round != null) {
      note =
          "no probes: the round of checkpoint " + outcome.round.checkpointId() + " is still open";
    } else if (measurers.isEmpty()) {
      note =
          "no probes: no reporting trainer measures removal candidates (they sent RunStarted version 1),"
              + (outcome.fusion.rounds() == 0
                  ? " so the run's start (outcome.start) decides"
                  : " so the subset carried from earlier rounds decides");
    } else {
      Header header = new Header(run.runId, DecisionMaker.AGENT_ID, barrier.step, timestampMillis);
      Optional<RemovalCandidates> candidates =
          decisionMaker.openRound(
              run, evidence, outcome, header, checkpointId, barrier, timedOut, now, measurers);
      if (candidates.isPresent()) {
        putRun(run);
        putOutcome(run.runId, outcome);
        forwardDecision(
            run.runId, EventCodec.encode(candidates.get()), now); // signed like decisions
        LOG.info(
            "run {}: checkpoint {} waits for {} removal candidates measured by {}",
            run.runId,
            checkpointId,
            candidates.get().candidates().size(),
            measurers);
        return;
      }
      note = "no probes: no layer has live neurons to remove";
    }
    decide(run, checkpointId, barrier, timedOut, timestampMillis, now, outcome, null, note);
  }

  private void applyOutcome(RunState run, RemovalOutcome e, long now) {
    OutcomeState outcome = outcomeState(run.runId);
    OutcomeState.Round round = outcome.round;
    if (round == null
        || !round.checkpointId().equals(e.checkpointId())
        || round.number() != e.round()) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "RemovalOutcome: run '"
              + run.runId
              + "' has no open round "
              + e.round()
              + " for checkpoint '"
              + e.checkpointId()
              + "'"
              + (round == null
                  ? ""
                  : " (open: round "
                      + round.number()
                      + " of checkpoint '"
                      + round.checkpointId()
                      + "')"));
    }
    if (!round.measurers().contains(e.trainerId())) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "RemovalOutcome: trainer '"
              + e.trainerId()
              + "' is not a measurer of round "
              + round.number()
              + " "
              + round.measurers());
    }
    if (e.candidateId() >= round.deltaLoss().length) {
      throw new InvalidEventException(
          RejectReason.INDEX_OUT_OF_RANGE,
          "RemovalOutcome: candidate "
              + e.candidateId()
              + " of round "
              + round.number()
              + ", which has "
              + round.deltaLoss().length);
    }
    if (!Double.isNaN(round.deltaLoss()[e.candidateId()])) {
      throw new InvalidEventException(
          RejectReason.DUPLICATE,
          "RemovalOutcome: candidate "
              + e.candidateId()
              + " of round "
              + round.number()
              + " was already measured");
    }
    round.deltaLoss()[e.candidateId()] = e.deltaLoss();
    round.stdErr()[e.candidateId()] = e.deltaLossStdErr();
    if (round.complete()) {
      finishRound(run, outcome, now);
    } else {
      putOutcome(run.runId, outcome);
    }
  }

  /** Applies the open round's outcomes (all, or those that came before the timeout) and decides. */
  private void finishRound(RunState run, OutcomeState outcome, long now) {
    OutcomeState.Round round = outcome.round;
    outcome.round = null;
    RunState.Barrier barrier = run.pending.get(round.checkpointId());
    if (barrier == null) {
      putOutcome(run.runId, outcome);
      return;
    }
    OutcomeFusion.Update update = decisionMaker.learn(outcome.fusion, round);
    outcome.fusion = update.fusion();
    outcome.lastSummary =
        "round "
            + round.number()
            + ": "
            + round.measured()
            + " of "
            + round.deltaLoss().length
            + " candidates measured by "
            + round.measurers()
            + (round.complete() ? "" : " before outcome.timeout " + config.outcome().timeout())
            + "; "
            + update.summary();
    decide(
        run,
        round.checkpointId(),
        barrier,
        round.timedOut(),
        round.timestampMillis(),
        now,
        outcome,
        round,
        outcome.lastSummary);
  }

  /** Decides barriers that have been open longer than the timeout, with the trainers that came. */
  private void expireBarriers(long now) {
    List<KeyValue<String, byte[]>> all = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = runs.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, byte[]> kv : all) {
      RunState run = RunState.decode(kv.value);
      OutcomeState outcome = outcomeState(run.runId);
      if (outcome.round != null
          && now - outcome.round.openedWallMillis() >= config.outcome().timeout().toMillis()) {
        LOG.warn(
            "run {}: {} of {} removal outcomes of checkpoint {} came within {}",
            run.runId,
            outcome.round.measured(),
            outcome.round.deltaLoss().length,
            outcome.round.checkpointId(),
            config.outcome().timeout());
        String checkpoint = outcome.round.checkpointId();
        try {
          finishRound(run, outcome, now);
        } catch (IllegalArgumentException | IllegalStateException e) {
          // As for a barrier below: one run's failure must not stop the others; nothing was stored,
          // so the round is still open and retried at the next tick.
          LOG.error(
              "run {}: cannot decide checkpoint {} after its outcome round: {}",
              run.runId,
              checkpoint,
              e.getMessage());
        }
        continue;
      }
      for (Map.Entry<String, RunState.Barrier> b : List.copyOf(run.pending.entrySet())) {
        RunState.Barrier barrier = b.getValue();
        boolean measuring =
            outcome.round != null && outcome.round.checkpointId().equals(b.getKey());
        if (!measuring && now - barrier.openedWallMillis >= config.barrierTimeout().toMillis()) {
          LOG.warn(
              "run {}: checkpoint {} timed out after {}; deciding without {}",
              run.runId,
              b.getKey(),
              config.barrierTimeout(),
              run.awaited(barrier));
          try {
            barrierMet(run, b.getKey(), barrier, true, deadline(barrier), now);
          } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (e instanceof KafkaException) {
              throw (KafkaException) e;
            }
            // A run whose evidence cannot be decided on must not stop the other runs; the
            // barrier stays open and is retried at the next tick.
            metrics.processingFailure();
            LOG.error(
                "run {}: cannot decide checkpoint {}: {}", run.runId, b.getKey(), e.toString());
          }
        }
      }
    }
  }

  /** A timed-out barrier's decision time: its opening checkpoint's timestamp plus the timeout. */
  private long deadline(RunState.Barrier barrier) {
    return barrier.openedEventMillis + config.barrierTimeout().toMillis();
  }

  /**
   * @param timestampMillis the decision's timestamp, from the input records
   * @param now the wall clock, for metrics and the output record's Kafka timestamp only
   */
  private void decide(
      RunState run,
      String checkpointId,
      RunState.Barrier barrier,
      boolean timedOut,
      long timestampMillis,
      long now,
      OutcomeState outcome,
      OutcomeState.Round finished,
      String fusionNote) {
    List<String> missing = run.missing(barrier);
    metrics.barrier(run.runId, Duration.ofMillis(now - barrier.openedWallMillis), missing.size());
    long start = System.nanoTime();
    Header header = new Header(run.runId, DecisionMaker.AGENT_ID, barrier.step, timestampMillis);
    Map<String, AdaptiveFusion> adaptive =
        decisionMaker.adaptive()
            ? AdaptiveStates.decode(fusion.get(AdaptiveStates.key(run.runId)))
            : null;
    DecisionMaker.Decided decided =
        decisionMaker.decide(
            run,
            evidence,
            fusion.get(run.runId),
            outcome,
            adaptive,
            finished,
            fusionNote,
            header,
            checkpointId,
            barrier,
            missing,
            timedOut);
    if (adaptive != null) {
      byte[] bytes = AdaptiveStates.encode(adaptive);
      fusion.put(AdaptiveStates.key(run.runId), bytes);
      metrics.stateSize(AgentTopology.FUSION_STORE, AdaptiveStates.key(run.runId), bytes.length);
    }
    if (outcome != null) {
      putOutcome(run.runId, outcome);
    }
    if (timedOut) {
      run.lapse(barrier);
    }
    DecisionEvent event = decided.event();
    byte[] bytes = EventCodec.encode(event);
    for (DecisionEvent.LayerDecision l : event.layers()) {
      boolean[] keep = l.keep();
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          run.pruned.get(l.layer()).set(i);
        }
      }
    }
    run.pending.remove(checkpointId);
    run.decided.put(checkpointId, event.maskHash());
    run.decisionCount++;
    putRun(run);
    decisions.put(decisionKey(run.runId, checkpointId), bytes);
    metrics.stateSize(
        AgentTopology.DECISIONS_STORE, decisionKey(run.runId, checkpointId), bytes.length);
    // Metrics first, so that whoever holds the decision scrapes the values that produced it.
    decided.report(metrics);
    metrics.decision(
        run.runId, timedOut ? "timeout" : "complete", Duration.ofNanos(System.nanoTime() - start));
    forwardDecision(run.runId, bytes, now);
    LOG.info(
        "run {}: decision for checkpoint {} at step {} ({} layers, mask hash {}){}",
        run.runId,
        checkpointId,
        barrier.step,
        event.layers().size(),
        Long.toHexString(event.maskHash()),
        missing.isEmpty() ? "" : " without " + missing);
  }

  /** Runs this task's store holds, expired ones included until they are retired. */
  private int heldRuns() {
    int n = 0;
    try (KeyValueIterator<String, byte[]> it = runs.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private String source() {
    return context
        .recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
        .orElse("(no metadata)");
  }

  /**
   * Publishes a decision's (or removal candidates') bytes, with signature headers when decisions
   * are signed.
   */
  private void forwardDecision(String runId, byte[] bytes, long now) {
    RecordHeaders headers = new RecordHeaders();
    signer.ifPresent(
        s -> {
          headers.add(DecisionSignatures.SIGNATURE_HEADER, s.sign(bytes));
          headers.add(DecisionSignatures.KEY_ID_HEADER, s.keyId().getBytes(StandardCharsets.UTF_8));
        });
    context.forward(new Record<>(runId, bytes, now, headers), AgentTopology.DECISIONS_SINK);
  }

  private OutcomeState outcomeState(String runId) {
    byte[] bytes = fusion.get(OutcomeState.key(runId));
    return bytes == null ? decisionMaker.newOutcomeState() : OutcomeState.decode(bytes);
  }

  private void putOutcome(String runId, OutcomeState state) {
    byte[] bytes = state.encode();
    fusion.put(OutcomeState.key(runId), bytes);
    metrics.stateSize(AgentTopology.FUSION_STORE, OutcomeState.key(runId), bytes.length);
  }

  private void putRun(RunState run) {
    byte[] bytes = run.encode();
    runs.put(run.runId, bytes);
    metrics.stateSize(AgentTopology.RUNS_STORE, run.runId, bytes.length);
    lastWritten = run;
  }

  private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
    String type = typeOf(record.value());
    metrics.rejected(type, reason);
    // The producer's own headers (tracing ids, ...) stay, the agent's reason headers follow them.
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_DETAIL, detail.getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_TYPE, type.getBytes(StandardCharsets.UTF_8));
    context
        .recordMetadata()
        .ifPresent(m -> headers.add(HEADER_SOURCE, source().getBytes(StandardCharsets.UTF_8)));
    context.forward(
        new Record<>(record.key(), record.value(), record.timestamp(), headers),
        AgentTopology.DEAD_LETTER_SINK);
    LOG.debug("dead letter ({}): {}", reason, detail);
  }

  /** The event type named by byte 3 of a record, or {@code unknown} if it names none. */
  static String typeOf(byte[] value) {
    if (value == null || value.length < 4) {
      return UNKNOWN_TYPE;
    }
    try {
      return typeTag(EventType.ofCode(value[3] & 0xff));
    } catch (InvalidEventException e) {
      return UNKNOWN_TYPE;
    }
  }

  static String typeTag(EventType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  static String decisionKey(String runId, String checkpointId) {
    return runId + '\u001f' + checkpointId;
  }
}
