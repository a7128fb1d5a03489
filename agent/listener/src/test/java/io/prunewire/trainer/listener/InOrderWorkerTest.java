package io.prunewire.trainer.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class InOrderWorkerTest {

  @Test
  void tasksRunInSubmissionOrderAndDrainWaitsForAllOfThem() {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    try (InOrderWorker w = new InOrderWorker("test", 3)) {
      for (int i = 0; i < 200; i++) {
        int k = i;
        w.submit(() -> seen.add(k));
      }
      w.drain();
      assertThat(seen).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertThat(seen.get(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void aFullQueueMakesTheSubmitterWait() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (InOrderWorker w = new InOrderWorker("test", 1)) {
      w.submit(
          () -> {
            started.countDown();
            await(release);
          });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      w.submit(() -> {}); // fills the one waiting slot
      CompletableFuture<Void> third = CompletableFuture.runAsync(() -> w.submit(() -> {}));

      // The third submit cannot complete while the first task holds the thread and the slot is
      // taken.
      Awaitility.await("the third submit waiting")
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !third.isDone());
      release.countDown();
      third.get(10, TimeUnit.SECONDS);
      w.drain();
    }
  }

  @Test
  void aFailingTaskFailsTheNextDrainAndSubmitWithItsMessage() {
    try (InOrderWorker w = new InOrderWorker("test", 2)) {
      w.submit(
          () -> {
            throw new IllegalArgumentException("layer l0: 7 neurons, expected 3");
          });
      assertThatThrownBy(w::drain)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("layer l0: 7 neurons, expected 3");
      assertThatThrownBy(() -> w.submit(() -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected 3");
    }
  }

  @Test
  void anErrorInATaskDoesNotLeaveDrainWaiting() {
    try (InOrderWorker w = new InOrderWorker("test", 2)) {
      w.submit(
          () -> {
            throw new OutOfMemoryError("Java heap space");
          });
      assertThatThrownBy(w::drain)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Java heap space");
    }
  }

  @Test
  void afterCloseSubmitIsRefused() {
    InOrderWorker w = new InOrderWorker("test", 2);
    w.close();
    assertThatThrownBy(() -> w.submit(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
