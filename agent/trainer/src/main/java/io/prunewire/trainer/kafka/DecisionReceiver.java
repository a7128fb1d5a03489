package io.prunewire.trainer.kafka;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.RemovalCandidates;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code prunewire.decisions} on its own thread and completes one future per checkpoint of
 * this run (and one per checkpoint's removal candidates, protocol v2). It reads every partition without a consumer group (each trainer must see every
 * decision of its run), starting at the records written since {@code sinceMillis}, so a decision
 * that arrives before the trainer asks for it is not missed. The first decision of a checkpoint
 * wins; the agent's republications are identical.
 */
final class DecisionReceiver implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionReceiver.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final String runId;
  private final long sinceMillis;
  private final Map<String, CompletableFuture<DecisionEvent>> decisions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<RemovalCandidates>> candidates = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean stopping;

  DecisionReceiver(Consumer<byte[], byte[]> consumer, String topic, String runId, long sinceMillis) {
    this.consumer = consumer;
    this.topic = topic;
    this.runId = runId;
    this.sinceMillis = sinceMillis;
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

  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      assignFromStartTime();
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          accept(r.value());
        }
      }
    } catch (WakeupException e) {
      if (!stopping) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** Assigns every partition at the first record written since {@code sinceMillis}, retrying while the broker is away. */
  private void assignFromStartTime() {
    while (!stopping) {
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(1));
        if (partitions == null || partitions.isEmpty()) {
          // the topic does not exist yet: ask again shortly rather than spin
          LockSupport.parkNanos(POLL.toNanos());
          continue;
        }
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(p -> since.put(new TopicPartition(topic, p.partition()), sinceMillis));
        consumer.assign(since.keySet());
        // End offsets first: a record written after this snapshot is read even if no record
        // matched the timestamp query below.
        Map<TopicPartition, Long> ends = consumer.endOffsets(since.keySet(), Duration.ofSeconds(5));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since, Duration.ofSeconds(5));
        since.keySet().forEach(tp -> {
          OffsetAndTimestamp at = found.get(tp);
          consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
        });
        return;
      } catch (TimeoutException e) {
        LOG.debug("waiting for the broker to assign {}: {}", topic, e.toString());
      }
    }
  }

  private void accept(byte[] value) {
    Event e;
    try {
      e = EventCodec.decode(value);
    } catch (InvalidEventException ex) {
      LOG.warn("ignoring an undecodable record on {}: {}", topic, ex.getMessage());
      return;
    }
    if (e instanceof DecisionEvent d && d.runId().equals(runId)) {
      received.incrementAndGet();
      decision(d.checkpointId()).complete(d);
    } else if (e instanceof RemovalCandidates c && c.runId().equals(runId)) {
      candidates(c.checkpointId()).complete(c);
    }
  }
}
