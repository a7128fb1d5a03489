package io.prunewire.service;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition in tests, instead of sleeping for a guessed time. */
final class Conditions {

  private Conditions() {}

  /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after it. */
  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
