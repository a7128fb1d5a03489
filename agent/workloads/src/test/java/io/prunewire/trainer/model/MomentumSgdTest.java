package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

class MomentumSgdTest {
  @Test
  void updatesAreLearningRateTimesHeavyBallVelocity() {
    MomentumSgd config = new MomentumSgd(new StepSchedule(ScheduleType.EPOCH, 0.5, 0.5, 2), 0.9);
    INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 3);
    GradientUpdater<?> updater = config.instantiate(state, true);
    double[][] grads = {{1, -2, 0.5}, {0.5, 0.5, 0.5}, {-1, 0, 2}};
    int[] epochs = {0, 1, 2};
    double[] v = new double[3];
    for (int step = 0; step < grads.length; step++) {
      INDArray g = Nd4j.createFromArray(new double[][] {grads[step]});
      updater.applyUpdater(g, step, epochs[step]);
      double lr = epochs[step] < 2 ? 0.5 : 0.25;
      for (int i = 0; i < 3; i++) {
        v[i] = 0.9 * v[i] + grads[step][i];
        assertThat(g.getDouble(0, i))
            .as("step %d, element %d", step, i)
            .isCloseTo(lr * v[i], within(1e-12));
        assertThat(state.getDouble(0, i)).isCloseTo(v[i], within(1e-12));
      }
    }
  }

  @Test
  void cloneIsEqualAndBadMomentumIsRejected() {
    MomentumSgd config = new MomentumSgd(new StepSchedule(ScheduleType.EPOCH, 0.5, 0.5, 25), 0.9);
    assertThat(config.clone()).isEqualTo(config).isNotSameAs(config);
    assertThat(config.getLearningRate(0, 25)).isEqualTo(0.25);
    assertThatThrownBy(
            () -> new MomentumSgd(new StepSchedule(ScheduleType.EPOCH, 0.5, 0.5, 25), 1.0))
        .hasMessageContaining("momentum must be in [0, 1)");
  }
}
