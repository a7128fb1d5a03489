package io.prunewire.trainer.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatestWinsWorkerTest {

  /** Squares its input once {@code gate} opens, noting the inputs it started. */
  private static final class GatedSquare {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final List<Integer> started = new ArrayList<>();

    int apply(int x) {
      synchronized (started) {
        started.add(x);
      }
      firstStarted.countDown();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("gate not opened within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (x < 0) {
        throw new IllegalArgumentException("negative input " + x);
      }
      return x * x;
    }
  }

  @Test
  void whileOneRunsOnlyTheNewestQueuedInputSurvivesAndEachReplacementIsCounted()
      throws InterruptedException {
    GatedSquare f = new GatedSquare();
    try (LatestWinsWorker<Integer, Integer> worker = new LatestWinsWorker<>("test", f::apply)) {
      assertThat(worker.submit(1)).isFalse();
      assertThat(f.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.submit(2)).isFalse();
      assertThat(worker.submit(3)).isTrue();
      assertThat(worker.submit(4)).isTrue();
      assertThat(worker.replaced()).isEqualTo(2);
      assertThat(worker.awaitIdle(Duration.ofMillis(20))).isFalse();
      assertThat(worker.takeFinished()).isEmpty();

      f.gate.countDown();
      assertThat(worker.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(worker.takeFinished()).containsExactly(1, 16);
      assertThat(worker.takeFinished()).isEmpty();
      assertThat(f.started).containsExactly(1, 4);
    }
  }

  @Test
  void aFailureIsRethrownOnTheTakingThreadWithTheComputationsMessage() throws InterruptedException {
    GatedSquare f = new GatedSquare();
    f.gate.countDown();
    try (LatestWinsWorker<Integer, Integer> worker = new LatestWinsWorker<>("test", f::apply)) {
      worker.submit(-3);
      assertThat(worker.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThatThrownBy(worker::takeFinished)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("negative input -3")
          .hasCauseInstanceOf(IllegalArgumentException.class);
      // Reported once; the worker goes on.
      worker.submit(5);
      assertThat(worker.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(worker.takeFinished()).containsExactly(25);
    }
  }

  @Test
  void itsThreadIsADaemonThatEndsWhenClosedAndThenInputIsRefused() throws InterruptedException {
    LatestWinsWorker<Integer, Integer> worker =
        new LatestWinsWorker<>("latest-wins-close-test", x -> x);
    Thread thread =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("latest-wins-close-test"))
            .findFirst()
            .orElseThrow();
    assertThat(thread.isDaemon()).isTrue();
    worker.close();
    thread.join(30_000);
    assertThat(thread.isAlive()).isFalse();
    assertThatThrownBy(() -> worker.submit(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the worker is closed");
  }
}
