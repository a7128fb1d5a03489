package io.prunewire.trainer.listener;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs {@code compute} on one background daemon thread, one input at a time. An input submitted
 * while another is being computed waits in a single slot; a newer one replaces it (latest wins) and
 * the replacement is counted. Results stay here until the submitting thread takes them, so whoever
 * consumes them (the telemetry sink) sees only that thread.
 *
 * @param <I> input, owned by the worker once submitted
 * @param <O> result
 */
final class LatestWinsWorker<I, O> implements AutoCloseable {

  private final Function<I, O> compute;
  private final ArrayDeque<Outcome<O>> finished = new ArrayDeque<>();
  private I queued;
  private boolean running;
  private boolean closed;
  private long replaced;

  private record Outcome<O>(O value, Throwable failure) {}

  LatestWinsWorker(String threadName, Function<I, O> compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
    Thread thread = new Thread(this::work, Objects.requireNonNull(threadName, "threadName"));
    // A daemon, so a caller that never closes the worker does not keep the JVM alive.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code input} for computation.
   *
   * @return true if it replaced a queued input that had not started (counted in {@link
   *     #replaced()})
   * @throws IllegalStateException after {@link #close()}
   */
  synchronized boolean submit(I input) {
    if (closed) {
      throw new IllegalStateException("the worker is closed");
    }
    boolean replacing = queued != null;
    if (replacing) {
      replaced++;
    }
    queued = Objects.requireNonNull(input, "input");
    notifyAll();
    return replacing;
  }

  /**
   * The results finished since the last call, oldest first.
   *
   * @throws IllegalStateException carrying the failure (with the computation's message) of a
   *     computation that threw; results finished before it are dropped with it
   */
  synchronized List<O> takeFinished() {
    List<O> values = new ArrayList<>(finished.size());
    while (!finished.isEmpty()) {
      Outcome<O> o = finished.poll();
      if (o.failure() != null) {
        throw new IllegalStateException(o.failure().getMessage(), o.failure());
      }
      values.add(o.value());
    }
    return values;
  }

  /** Waits until nothing is queued or running; false if {@code timeout} passed first. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running || queued != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Inputs replaced in the queue before they started. */
  synchronized long replaced() {
    return replaced;
  }

  /** Drops the queued input and lets the thread end after the computation it is running, if any. */
  @Override
  public synchronized void close() {
    closed = true;
    queued = null;
    notifyAll();
  }

  private void work() {
    while (true) {
      I input;
      synchronized (this) {
        while (queued == null && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        input = queued;
        queued = null;
        running = true;
      }
      Outcome<O> outcome;
      try {
        outcome = new Outcome<>(compute.apply(input), null);
      } catch (RuntimeException | Error e) {
        outcome = new Outcome<>(null, e);
      }
      synchronized (this) {
        finished.add(outcome);
        running = false;
        notifyAll();
      }
    }
  }
}
