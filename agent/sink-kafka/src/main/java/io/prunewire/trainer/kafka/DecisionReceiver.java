package io.prunewire.trainer.kafka;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.RemovalCandidates;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code prunewire.decisions} on its own thread and completes one future per checkpoint of
 * this run (and one per checkpoint's removal candidates, protocol v2). It reads every partition
 * without a consumer group (each trainer must see every decision of its run), starting at the
 * records written since {@code sinceMillis}, so a decision that arrives before the trainer asks for
 * it is not missed. The first decision of a checkpoint wins; the agent's republications are
 * identical.
 *
 * <p>With a {@link DecisionSignatures.Verifier} only decisions whose signature verifies count; any
 * other is refused (reported to {@code refused}) and a genuine one that comes later still completes
 * the checkpoint. Nothing the broker or the topic does stops the thread: authentication,
 * authorization and network failures are retried with exponential backoff ({@value #MIN_BACKOFF_MS}
 * ms doubling to {@value #MAX_BACKOFF_MS} ms), and {@link #state()} and {@link #failures()} say how
 * it goes; {@link #problem()} names the cause and the setting to fix, logged at WARN when it starts
 * and then at most once a minute ({@link ClientProblem}).
 */
final class DecisionReceiver implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionReceiver.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 10_000;

  /**
   * Checkpoints with a decision nobody asked for yet that are kept: enough for any real run, while
   * a flood of decisions for made-up checkpoints cannot fill the trainer's memory.
   */
  static final int MAX_UNCLAIMED = 1_024;

  /** What the receiver is doing. */
  enum State {
    /** Not yet assigned its partitions. */
    STARTING,
    /** Reading decisions. */
    RECEIVING,
    /** The last attempt failed (e.g. the broker refused the credentials); retrying with backoff. */
    RETRYING,
    /** Stopped by {@link #stop()}. */
    STOPPED
  }

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final String runId;
  private final long sinceMillis;
  private final Optional<DecisionSignatures.Verifier> verifier;
  private final BiConsumer<String, DecisionSignatures.Failure> refused;
  private final Map<String, CompletableFuture<DecisionEvent>> decisions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<RemovalCandidates>> candidates =
      new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final KafkaFailures explain;
  private final ClientProblem problem;
  private volatile State state = State.STARTING;
  private volatile boolean stopping;
  private volatile Thread runner;

  /**
   * @param verifier verifies every decision's signature, if the trainer holds public keys
   * @param refused told (checkpoint id, why) of every decision of this run refused for its
   *     signature
   * @param explain names the cause of a client failure and the setting to fix
   * @param changed told of each failed attempt's problem and of its end
   */
  DecisionReceiver(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      String topic,
      String runId,
      long sinceMillis,
      Optional<DecisionSignatures.Verifier> verifier,
      BiConsumer<String, DecisionSignatures.Failure> refused,
      KafkaFailures explain,
      Consumer<Optional<String>> changed) {
    this.consumer = consumer;
    this.explain = explain;
    this.problem =
        new ClientProblem(LOG, "decision receiver of run " + runId, System::nanoTime, changed);
    this.topic = topic;
    this.runId = runId;
    this.sinceMillis = sinceMillis;
    this.verifier = verifier;
    this.refused = refused;
  }

  /** The future decision of a checkpoint; completes when it arrives (maybe already has). */
  CompletableFuture<DecisionEvent> decision(String checkpointId) {
    return decisions.computeIfAbsent(checkpointId, id -> new CompletableFuture<>());
  }

  /** The future removal candidates of a checkpoint (protocol v2); completes when they arrive. */
  CompletableFuture<RemovalCandidates> candidates(String checkpointId) {
    return candidates.computeIfAbsent(checkpointId, id -> new CompletableFuture<>());
  }

  long received() {
    return received.get();
  }

  State state() {
    return state;
  }

  /** Attempts to assign or poll that failed so far. */
  long failures() {
    return failures.get();
  }

  /**
   * Why the last attempt failed, naming the setting to fix; empty while decisions are read (or
   * before the first attempt ended).
   */
  Optional<String> problem() {
    return problem.current();
  }

  /**
   * Records a failure that ended the thread (an Error escaped {@link #run}); set by the thread's
   * uncaught-exception handler so that the death is visible on {@code /metrics}, not just in
   * stderr.
   */
  void died(Throwable e) {
    failures.incrementAndGet();
    problem.report("the decision receiver thread died: " + e, "no more decisions will arrive");
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
    // ends a backoff pause at once, so that close() need not wait for it
    Thread t = runner;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    long backoffMs = MIN_BACKOFF_MS;
    boolean assigned = false;
    try {
      while (!stopping) {
        try {
          if (!assigned) {
            // false while the topic does not exist yet: nothing to poll, ask again
            assigned = assignFromStartTime();
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            accept(r);
          }
          state = State.RECEIVING;
          problem.clear();
          backoffMs = MIN_BACKOFF_MS;
        } catch (WakeupException e) {
          // stop() woke the consumer; the loop condition ends the thread
        } catch (RuntimeException e) {
          // Wrong credentials, a denied ACL, an unreachable broker: none is the trainer's end.
          failures.incrementAndGet();
          // the state first: whoever the report notifies sees RETRYING
          state = State.RETRYING;
          problem.report(
              explain.describe(e, topic, "Read"),
              "retrying in " + backoffMs + " ms; training goes on unpruned meanwhile");
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
      }
    } finally {
      state = State.STOPPED;
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /**
   * Assigns every partition at the first record written since {@code sinceMillis}; false if the
   * topic does not exist yet. A broker that does not answer throws Kafka's TimeoutException, which
   * the caller reports and retries with backoff like any other failure.
   */
  private boolean assignFromStartTime() {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    if (partitions == null || partitions.isEmpty()) {
      // the topic does not exist yet: ask again shortly rather than spin
      LockSupport.parkNanos(POLL.toNanos());
      return false;
    }
    Map<TopicPartition, Long> since = new HashMap<>();
    partitions.forEach(p -> since.put(new TopicPartition(topic, p.partition()), sinceMillis));
    consumer.assign(since.keySet());
    // End offsets first: a record written after this snapshot is read even if no record
    // matched the timestamp query below.
    Map<TopicPartition, Long> ends = consumer.endOffsets(since.keySet(), Duration.ofSeconds(5));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(since, Duration.ofSeconds(5));
    since
        .keySet()
        .forEach(
            tp -> {
              OffsetAndTimestamp at = found.get(tp);
              consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
            });
    return true;
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    Event e;
    try {
      e = EventCodec.decode(record.value());
    } catch (InvalidEventException ex) {
      LOG.warn("ignoring an undecodable record on {}: {}", topic, ex.getMessage());
      return;
    }
    if (e instanceof RemovalCandidates c && c.runId().equals(runId)) {
      // candidates travel signed like decisions: a forged set would only waste probe passes, but is
      // refused alike
      if (verifier.isPresent()
          && verifier
              .get()
              .verify(
                  record.value(),
                  value(record, DecisionSignatures.SIGNATURE_HEADER),
                  value(record, DecisionSignatures.KEY_ID_HEADER))
              .isPresent()) {
        LOG.warn(
            "run {}: ignoring removal candidates of checkpoint {} from {}-{}@{}: the signature does not verify",
            runId,
            c.checkpointId(),
            record.topic(),
            record.partition(),
            record.offset());
        return;
      }
      if (!candidates.containsKey(c.checkpointId()) && candidates.size() >= MAX_UNCLAIMED) {
        LOG.warn(
            "run {}: ignoring removal candidates of checkpoint {}: {} sets nobody asked for are held already",
            runId,
            c.checkpointId(),
            MAX_UNCLAIMED);
        return;
      }
      candidates(c.checkpointId()).complete(c);
      return;
    }
    if (!(e instanceof DecisionEvent d) || !d.runId().equals(runId)) {
      return;
    }
    if (verifier.isPresent()) {
      Optional<DecisionSignatures.Failure> failure =
          verifier
              .get()
              .verify(
                  record.value(),
                  value(record, DecisionSignatures.SIGNATURE_HEADER),
                  value(record, DecisionSignatures.KEY_ID_HEADER));
      if (failure.isPresent()) {
        LOG.warn(
            "run {}: refused a decision of checkpoint {} from {}-{}@{} ({}): {}",
            runId,
            d.checkpointId(),
            record.topic(),
            record.partition(),
            record.offset(),
            failure.get().reason().code(),
            failure.get().detail());
        refused.accept(d.checkpointId(), failure.get());
        return;
      }
    }
    if (!decisions.containsKey(d.checkpointId()) && decisions.size() >= MAX_UNCLAIMED) {
      LOG.warn(
          "run {}: ignoring the decision of checkpoint {}: {} decisions nobody asked for are held already",
          runId,
          d.checkpointId(),
          MAX_UNCLAIMED);
      return;
    }
    received.incrementAndGet();
    decision(d.checkpointId()).complete(d);
  }

  private static byte[] value(ConsumerRecord<byte[], byte[]> record, String header) {
    Header h = record.headers().lastHeader(header);
    return h == null ? null : h.value();
  }
}
