package io.prunewire.evaluation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JoinedRunTest {

  @Test
  void checkpointSpacingIsTheSmallestThatLeavesNoCheckpointAfterTheLastPlanned() {
    for (int checkpoints = 1; checkpoints <= 5; checkpoints++) {
      for (long steps = 4L * checkpoints + 2; steps <= 400; steps++) {
        int every = JoinedRun.checkpointSpacing(steps, checkpoints);
        assertThat((long) (checkpoints + 1) * every).as("%d steps", steps).isGreaterThan(steps);
        assertThat((long) (checkpoints + 1) * (every - 1))
            .as("%d steps", steps)
            .isLessThanOrEqualTo(steps);
        assertThat((long) checkpoints * every).as("%d steps", steps).isLessThanOrEqualTo(steps - 2);
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
