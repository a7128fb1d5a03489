package io.prunewire.trainer.kafka;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the buffer to Kafka on its own thread, guarded by a circuit breaker: while the
 * breaker is open the records stay in the buffer (order kept) instead of piling up in the producer,
 * and at most {@code maxUnacknowledged} records are handed to the producer before the broker
 * acknowledges them. A record the producer gives up on with a retriable error (the broker stayed
 * away past the delivery timeout) is not lost: once every record in flight has been answered, the
 * failed ones go back to the head of the buffer in their original order and are sent again. Refused
 * credentials and denied ACLs are treated alike (an administrator can fix either while the trainer
 * runs): the records wait, the breaker opens and probes with capped exponential backoff. Only
 * another non-retriable error (e.g. a record larger than the broker accepts) loses a record.
 *
 * <p>Nothing ends the thread but {@link #stop()}: {@link #problem()} names the cause of the last
 * failed delivery and the setting to fix, logged at WARN when it starts and then at most once a
 * minute ({@link ClientProblem}).
 */
final class TelemetrySender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetrySender.class);
  private static final long IDLE_POLL_MS = 50;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final BoundedBuffer buffer;
  private final Supplier<Producer<byte[], byte[]>> newProducer;
  private volatile Producer<byte[], byte[]> producer;

  /**
   * Set when the broker refused to authenticate the producer. An idempotent producer whose first
   * connection is refused never asks for its producer id again (KAFKA-20237, open for Kafka 4.4
   * clients): its records expire unsent even once the credentials are accepted. The sender then
   * replaces it with a new one before the next attempt.
   */
  private volatile boolean producerRefused;

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
  private final KafkaFailures explain;
  private final ClientProblem problem;
  private volatile boolean stopping;

  TelemetrySender(
      BoundedBuffer buffer,
      Supplier<Producer<byte[], byte[]>> newProducer,
      String topic,
      byte[] key,
      CircuitBreaker breaker,
      int maxUnacknowledged,
      KafkaFailures explain,
      String runId,
      Consumer<Optional<String>> changed) {
    this.buffer = buffer;
    this.explain = explain;
    this.problem =
        new ClientProblem(LOG, "telemetry sender of run " + runId, System::nanoTime, changed);
    this.newProducer = newProducer;
    this.producer = newProducer.get();
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

  /** Why the last delivery failed, naming the setting to fix; empty while deliveries succeed. */
  Optional<String> problem() {
    return problem.current();
  }

  /** Records a failure that ended the thread (set by its uncaught-exception handler). */
  void died(Throwable e) {
    problem.report(
        "the telemetry sender thread died: " + e, "telemetry stays in the buffer from now on");
  }

  /** Closes the producer, waiting up to {@code timeout} for records it still sends. */
  void closeProducer(Duration timeout) {
    producer.close(timeout);
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
    long backoffMs = IDLE_POLL_MS;
    try {
      while (!(stopping
          && (buffer.size() == 0 || breaker.getState() == CircuitBreaker.State.OPEN))) {
        try {
          sendOne();
          backoffMs = IDLE_POLL_MS;
        } catch (RuntimeException e) {
          // Not expected (the producer reports failures to callbacks), but it must not end
          // telemetry.
          problem.report(
              explain.describe(e, topic, "Write"),
              "retrying in " + backoffMs + " ms; events wait in the buffer");
          Thread.sleep(backoffMs);
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
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
    if (producerRefused) {
      // The breaker lets an attempt through: with a new producer, once none is in flight.
      unacknowledged.release();
      if (!awaitUnacknowledged(Duration.ZERO)) {
        buffer.pushBack(value);
        breaker.releasePermission();
        Thread.sleep(IDLE_POLL_MS);
        return;
      }
      try {
        replaceProducer();
      } catch (RuntimeException e) {
        // e.g. the truststore went missing: the record waits, the breaker counts a failure
        buffer.pushBack(value);
        breaker.onError(0, breaker.getTimestampUnit(), e);
        throw e;
      }
      unacknowledged.acquire();
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
              problem.clear();
            } else if (worthRetrying(error)) {
              if (error instanceof AuthenticationException) {
                producerRefused = true;
              }
              breaker.onError(took, breaker.getTimestampUnit(), error);
              retry.addLast(value);
              resent.incrementAndGet();
              problem.report(
                  explain.describe(error, topic, "Write"),
                  "the event(s) wait in the buffer and are sent again when the circuit breaker's"
                      + " probe succeeds");
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
      problem.report(
          explain.describe(e, topic, "Write"),
          "the event(s) wait in the buffer and are sent again when the circuit breaker's probe"
              + " succeeds");
    }
  }

  private void replaceProducer() {
    producerRefused = false;
    Producer<byte[], byte[]> old = producer;
    try {
      producer = newProducer.get();
    } catch (RuntimeException e) {
      producerRefused = true; // try again at the next attempt
      throw e;
    }
    old.close(Duration.ZERO);
    LOG.debug("replaced the telemetry producer after a refused login");
  }

  /**
   * Whether a failed record should be sent again: a broker away past the delivery timeout, and
   * refused credentials or a denied ACL, which an administrator can fix while training goes on.
   */
  private static boolean worthRetrying(Exception error) {
    return error instanceof RetriableException
        || error instanceof AuthenticationException
        || error instanceof AuthorizationException;
  }
}
