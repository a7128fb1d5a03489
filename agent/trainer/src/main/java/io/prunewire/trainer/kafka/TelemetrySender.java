package io.prunewire.trainer.kafka;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the buffer to Kafka on its own thread, guarded by a circuit breaker: while the
 * breaker is open the records stay in the buffer (order kept) instead of piling up in the
 * producer, and at most {@code maxUnacknowledged} records are handed to the producer before the
 * broker acknowledges them — those are the only ones an outage can lose.
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
  private volatile boolean stopping;

  TelemetrySender(BoundedBuffer buffer, Producer<byte[], byte[]> producer, String topic, byte[] key,
      CircuitBreaker breaker, int maxUnacknowledged) {
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
      while (!(stopping && (buffer.size() == 0 || breaker.getState() == CircuitBreaker.State.OPEN))) {
        sendOne();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendOne() throws InterruptedException {
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
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        long took = breaker.getCurrentTimestamp() - start;
        if (error == null) {
          breaker.onSuccess(took, breaker.getTimestampUnit());
          delivered.incrementAndGet();
        } else {
          breaker.onError(took, breaker.getTimestampUnit(), error);
          failed.incrementAndGet();
          LOG.debug("telemetry record lost after the delivery timeout: {}", error.toString());
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
