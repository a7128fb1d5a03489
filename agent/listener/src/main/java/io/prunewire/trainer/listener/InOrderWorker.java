package io.prunewire.trainer.listener;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Runs tasks on one background daemon thread in the order they were submitted, at most {@code
 * capacity} waiting; a submitter that finds the queue full waits (back-pressure keeps the copies it
 * holds bounded). The listener uses it to reduce sampled batches off the training thread: the
 * training thread only copies the arrays, which are valid only inside the callback, and the
 * reduction runs while the next step trains.
 */
final class InOrderWorker implements AutoCloseable {

  private final int capacity;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;
  private boolean closed;
  private RuntimeException failure;

  InOrderWorker(String threadName, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    Thread thread = new Thread(this::work, Objects.requireNonNull(threadName, "threadName"));
    // A daemon, so a caller that never closes the worker does not keep the JVM alive.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code task}, waiting while {@code capacity} tasks are queued.
   *
   * @throws IllegalStateException after {@link #close()}, or carrying the failure of an earlier
   *     task
   */
  synchronized void submit(Runnable task) {
    Objects.requireNonNull(task, "task");
    while (queue.size() >= capacity && !closed && failure == null) {
      awaitChange();
    }
    throwIfFailedOrClosed();
    queue.add(task);
    notifyAll();
  }

  /**
   * Waits until every submitted task has run.
   *
   * @throws IllegalStateException carrying the failure of a task that threw (later tasks still ran)
   */
  synchronized void drain() {
    while ((running || !queue.isEmpty()) && !closed) {
      awaitChange();
    }
    if (failure != null) {
      throw new IllegalStateException(failure.getMessage(), failure);
    }
  }

  /** Drops the tasks that have not started and lets the thread end after the one it is running. */
  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
    notifyAll();
  }

  private void throwIfFailedOrClosed() {
    if (failure != null) {
      throw new IllegalStateException(failure.getMessage(), failure);
    }
    if (closed) {
      throw new IllegalStateException("the worker is closed");
    }
  }

  // Every caller waits in a loop on its own condition.
  @SuppressWarnings("WaitNotInLoop")
  private void awaitChange() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the reduction worker", e);
    }
  }

  private void work() {
    while (true) {
      Runnable task;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        task = queue.poll();
        running = true;
        notifyAll();
      }
      RuntimeException thrown = null;
      try {
        task.run();
      } catch (RuntimeException e) {
        thrown = e;
      } catch (Error e) {
        // An OutOfMemoryError must not end the thread silently and leave drain() waiting forever.
        thrown = new IllegalStateException("reduction failed: " + e, e);
      }
      synchronized (this) {
        running = false;
        if (thrown != null && failure == null) {
          failure = thrown;
        }
        notifyAll();
      }
    }
  }
}
