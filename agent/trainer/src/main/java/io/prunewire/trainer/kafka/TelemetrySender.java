package io.prunewire.trainer.kafka;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the buffer to Kafka on its own thread, guarded by a circuit breaker: while the
 * breaker is open the records stay in the buffer (order kept) instead of piling up in the producer,
 * and at most {@code maxUnacknowledged} records are handed to the producer before the broker
 * acknowledges them. A record the producer gives up on with a retriable error (the broker stayed
 * away past the delivery timeout) is not lost: once every record in flight has been answered, the
 * failed ones go back to the head of the buffer in their original order and are sent again. Only a
 * non-retriable error (e.g. a record larger than the broker accepts) loses a record.
 */
final class TelemetrySender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetrySender.class);
  private static final long IDLE_POLL_MS = 50;

  private final BoundedBuffer buffer;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final byte[] key;
  private final CircuitBreaker breaker;
  private final Semaphore unacknowledged;
  private final int maxUnacknowledged;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  // Records that failed retriably, in send order (callbacks of one partition run in send order).
  private final ConcurrentLinkedDeque<byte[]> retry = new ConcurrentLinkedDeque<>();
  private volatile boolean stopping;

  TelemetrySender(
      BoundedBuffer buffer,
      Producer<byte[], byte[]> producer,
      String topic,
      byte[] key,
      CircuitBreaker breaker,
      int maxUnacknowledged) {
    this.buffer = buffer;
    this.producer = producer;
    this.topic = topic;
    this.key = key;
    this.breaker = breaker;
    this.maxUnacknowledged = maxUnacknowledged;
    this.unacknowledged = new Semaphore(maxUnacknowledged);
  }

  long delivered() {
    return delivered.get();
  }

  long failed() {
    return failed.get();
  }

  /** Records that failed retriably and were (or are about to be) sent again. */
  long resent() {
    return resent.get();
  }

  /** Records waiting to go back into the buffer for a resend. */
  int retrying() {
    return retry.size();
  }

  /** Asks the loop to stop once the buffer is empty (or at once if the breaker is open). */
  void stop() {
    stopping = true;
  }

  /** Waits until every record handed to the producer was acknowledged or failed. */
  boolean awaitUnacknowledged(Duration timeout) throws InterruptedException {
    if (unacknowledged.tryAcquire(maxUnacknowledged, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      unacknowledged.release(maxUnacknowledged);
      return true;
    }
    return false;
  }

  @Override
  public void run() {
    try {
      while (!(stopping
          && (buffer.size() == 0 || breaker.getState() == CircuitBreaker.State.OPEN))) {
        sendOne();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendOne() throws InterruptedException {
    if (!retry.isEmpty()) {
      // Resend only once every record in flight has been answered, so that order is kept.
      if (!awaitUnacknowledged(Duration.ofMillis(IDLE_POLL_MS))) {
        return;
      }
      for (Iterator<byte[]> it = retry.descendingIterator(); it.hasNext(); ) {
        buffer.pushBack(it.next());
        it.remove();
      }
    }
    if (!unacknowledged.tryAcquire(IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
      return;
    }
    byte[] value = buffer.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
    if (value == null) {
      unacknowledged.release();
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      buffer.pushBack(value);
      unacknowledged.release();
      Thread.sleep(IDLE_POLL_MS);
      return;
    }
    long start = breaker.getCurrentTimestamp();
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, error) -> {
            long took = breaker.getCurrentTimestamp() - start;
            if (error == null) {
              breaker.onSuccess(took, breaker.getTimestampUnit());
              delivered.incrementAndGet();
            } else if (error instanceof RetriableException) {
              breaker.onError(took, breaker.getTimestampUnit(), error);
              retry.addLast(value);
              resent.incrementAndGet();
              LOG.debug(
                  "telemetry record not delivered in time, will be sent again: {}",
                  error.toString());
            } else {
              breaker.onError(took, breaker.getTimestampUnit(), error);
              failed.incrementAndGet();
              LOG.warn("telemetry record lost: {}", error.toString());
            }
            unacknowledged.release();
          });
    } catch (KafkaException e) {
      // send() itself failed (no metadata within max.block.ms): nothing left the buffer yet
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
      buffer.pushBack(value);
      unacknowledged.release();
    }
  }
}
