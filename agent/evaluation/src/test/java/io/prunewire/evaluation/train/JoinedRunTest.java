package io.prunewire.evaluation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JoinedRunTest {

  /** Spacings {@code every} that leave no checkpoint after the last planned one and fine-tuning. */
  private static boolean fits(long steps, int checkpoints, int every) {
    return (long) (checkpoints + 1) * every > steps && (long) checkpoints * every <= steps - 2;
  }

  @Test
  void checkpointSpacingIsTheSmallestThatFitsAndRefusedOnlyWhenNoneDoes() {
    for (int checkpoints = 1; checkpoints <= 5; checkpoints++) {
      for (long steps = 1; steps <= 300; steps++) {
        int smallest = 0;
        for (int every = 1; every <= steps && smallest == 0; every++) {
          if (fits(steps, checkpoints, every)) {
            smallest = every;
          }
        }
        if (smallest == 0) {
          long s = steps;
          int c = checkpoints;
          assertThatThrownBy(() -> JoinedRun.checkpointSpacing(s, c))
              .as("%d steps, %d checkpoints", steps, checkpoints)
              .isInstanceOf(IllegalArgumentException.class);
        } else {
          assertThat(JoinedRun.checkpointSpacing(steps, checkpoints))
              .as("%d steps, %d checkpoints", steps, checkpoints)
              .isEqualTo(smallest);
        }
      }
    }
    assertThat(JoinedRun.checkpointSpacing(100, 3)).isEqualTo(26);
  }

  @Test
  void tooFewStepsForTheCheckpointsAndTheFineTuningAreRefused() {
    assertThat(JoinedRun.checkpointSpacing(11, 3)).isEqualTo(3);
    assertThatThrownBy(() -> JoinedRun.checkpointSpacing(10, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 training steps are too few for 3 checkpoints");
  }
}
