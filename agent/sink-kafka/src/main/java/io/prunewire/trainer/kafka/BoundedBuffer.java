package io.prunewire.trainer.kafka;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A FIFO of encoded records bounded by total bytes. {@link #offer} never blocks: when the record
 * does not fit it is refused, so a producer thread (the training loop) is never slowed by a slow or
 * absent consumer. Thread-safe.
 */
final class BoundedBuffer {
  private final long capacityBytes;
  private final ArrayDeque<byte[]> records = new ArrayDeque<>();
  private long bytes;

  BoundedBuffer(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException(
          "buffer capacity: must be > 0 bytes, was " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  /** Appends the record if it fits within the capacity; returns whether it was taken. */
  synchronized boolean offer(byte[] record) {
    if (bytes + record.length > capacityBytes) {
      return false;
    }
    records.addLast(record);
    bytes += record.length;
    notifyAll();
    return true;
  }

  /**
   * Returns a record taken by {@link #poll} to the head, so it is sent next and order is kept. It
   * was inside the capacity a moment ago, so it is always taken back.
   */
  synchronized void pushBack(byte[] record) {
    records.addFirst(record);
    bytes += record.length;
    notifyAll();
  }

  /** The oldest record, waiting up to the timeout; {@code null} if none arrived. */
  synchronized byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (records.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    byte[] r = records.pollFirst();
    bytes -= r.length;
    return r;
  }

  synchronized int size() {
    return records.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
