package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PruningPlanTest {

  private static DemoSettings settings(int width, int steps, int checkpoints, double target) {
    return DemoSettings.builder()
        .widths(16, width, width)
        .steps(steps)
        .schedule(checkpoints, target)
        .evaluation(100, 10)
        .probing(4, 2, 2)
        .report(Path.of("r.md"))
        .fusion("learned")
        .build();
  }

  @Test
  void removalsFollowTheCubicScheduleAndReachTheTarget() {
    for (int checkpoints = 1; checkpoints <= 6; checkpoints++) {
      DemoSettings s = settings(64, 240, checkpoints, 0.5);
      PruningPlan plan = PruningPlan.of(s);
      int neurons = 256;
      int total = 0;
      for (int k = 1; k <= checkpoints; k++) {
        // Zhu & Gupta eq. 1 with s_i = 0, s_f = 0.5, t = k·Δt, t0 = 0, n = checkpoints.
        double progress = (double) k / checkpoints;
        int expected = (int) Math.round(neurons * 0.5 * (1 - Math.pow(1 - progress, 3)));
        assertThat(plan.prunedAfter(k)).isEqualTo(expected);
        assertThat(plan.planned(k)).isNotNegative();
        if (k > 1) {
          assertThat(plan.planned(k))
              .as("cubic prunes most early")
              .isLessThanOrEqualTo(plan.planned(k - 1) + 1);
        }
        total += plan.planned(k);
      }
      assertThat(total).isEqualTo(neurons / 2);
      assertThat(plan.planned(0)).isZero();
      assertThat(plan.planned(checkpoints + 1)).isZero();
    }
  }

  @Test
  void checkpointsAreSpacedSoNoneFollowsTheLast() {
    for (int steps = 4; steps <= 300; steps += 7) {
      for (int checkpoints = 1; 2 * (checkpoints + 1) <= steps; checkpoints++) {
        DemoSettings s = settings(8, steps, checkpoints, 0.5);
        int every = s.checkpointEvery();
        int trained = s.trainedSteps();
        assertThat(every).isPositive();
        assertThat(trained).isBetween(steps - checkpoints - 1, steps - 1);
        assertThat((long) checkpoints * every)
            .as("fine-tuning after the last checkpoint")
            .isLessThan(trained);
        assertThat((long) (checkpoints + 1) * every)
            .as("no extra checkpoint")
            .isGreaterThan(trained);
      }
    }
  }

  @Test
  void outcomeBatchesAreTheProbeBatchAndTestWindowsPastTheRecoveryWindows() {
    assertThat(PruningPlan.outcomeWindows(1, 100)).containsExactly(0);
    assertThat(PruningPlan.outcomeWindows(4, 100)).containsExactly(0, 7, 8, 9);
    assertThat(PruningPlan.outcomeWindows(4, 9)).containsExactly(0, 7, 8);
    assertThat(PruningPlan.outcomeWindows(4, 5)).containsExactly(0);
    assertThatThrownBy(() -> PruningPlan.outcomeWindows(0, 100))
        .hasMessageContaining("outcome batches must be >= 1");
  }

  @Test
  void trainingRecoveryUsesDistinctWindowsSpreadOverTheSplit() {
    assertThat(PruningPlan.trainRecoveryWindows(4, 1063)).containsExactly(0, 265, 531, 797);
    int[] hundred = PruningPlan.trainRecoveryWindows(100, 1063);
    assertThat(hundred).hasSize(100).doesNotHaveDuplicates().isSorted();
    assertThat(hundred[0]).isZero();
    assertThat(hundred[99]).isBetween(1000, 1062);
    assertThat(PruningPlan.trainRecoveryWindows(5, 3)).containsExactly(0, 1, 2);
    assertThat(RecoveryWindows.parse("train")).isEqualTo(RecoveryWindows.TRAIN);
    assertThatThrownBy(() -> RecoveryWindows.parse("valid"))
        .hasMessageContaining("[test, train]")
        .hasMessageContaining("'valid'");
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> settings(8, 3, 2, 0.5))
        .hasMessageContaining("too few for 2 checkpoints");
    assertThatThrownBy(() -> settings(8, 100, 2, 1.0)).hasMessageContaining("target sparsity");
    assertThatThrownBy(() -> settings(0, 100, 2, 0.5)).hasMessageContaining("rnn must be >= 1");
  }
}
