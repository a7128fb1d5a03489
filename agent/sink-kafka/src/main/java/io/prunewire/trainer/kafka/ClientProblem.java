package io.prunewire.trainer.kafka;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The current problem of one of the sink's client threads (sender or receiver) and its WARN log.
 * During an outage a thread fails at every attempt, maybe for every record; the log gets the first
 * failure, a changed cause at once, and otherwise at most one line a minute with the count since
 * the last line, so that the cause stays visible without flooding the trainer's output. Thread
 * safe: the producer's callbacks report from the producer's I/O thread.
 */
final class ClientProblem {
  static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger log;
  private final String thread;
  private final LongSupplier nanoTime;
  private final Consumer<Optional<String>> changed;
  private String current;
  private long total;
  private long sinceLogged;
  private long loggedAt;

  /**
   * @param thread names the thread in log lines, e.g. {@code decision receiver of run r1}
   * @param nanoTime the clock of the once-a-minute limit ({@code System::nanoTime})
   * @param changed told of every failed attempt's problem and of its end (empty), so that tests
   *     wait on a latch instead of polling
   */
  ClientProblem(
      Logger log, String thread, LongSupplier nanoTime, Consumer<Optional<String>> changed) {
    this.log = log;
    this.thread = thread;
    this.nanoTime = nanoTime;
    this.changed = changed;
  }

  /** Records a failed attempt; logs it if it is the first, a new cause, or a minute passed. */
  synchronized void report(String problem, String next) {
    long now = nanoTime.getAsLong();
    total++;
    sinceLogged++;
    if (current == null || !current.equals(problem) || now - loggedAt >= REPEAT_NANOS) {
      log.warn(
          "{}: {} ({} failure(s) since the last report, {} in all); {}",
          thread,
          problem,
          sinceLogged,
          total,
          next);
      loggedAt = now;
      sinceLogged = 0;
    }
    current = problem;
    changed.accept(Optional.of(problem));
  }

  /** A successful attempt ends the problem, if there was one (logged once). */
  synchronized void clear() {
    if (current != null) {
      log.info("{}: working again after {} failure(s)", thread, total);
      current = null;
      total = 0;
      sinceLogged = 0;
      changed.accept(Optional.empty());
    }
  }

  /** The problem of the last attempt, empty while the thread works. */
  synchronized Optional<String> current() {
    return Optional.ofNullable(current);
  }
}
