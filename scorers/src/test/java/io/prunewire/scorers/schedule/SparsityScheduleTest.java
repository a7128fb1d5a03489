package io.prunewire.scorers.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SparsityScheduleTest {

  private final Ramp ramp = new Ramp(0.05, 0.5, 1_000, 10, 200);

  @Test
  void oneShotJumpsAtItsStep() {
    OneShot s = new OneShot(500, 0.5);
    assertThat(s.sparsityAt(0)).isZero();
    assertThat(s.sparsityAt(499)).isZero();
    assertThat(s.sparsityAt(500)).isEqualTo(0.5);
    assertThat(s.sparsityAt(10_000)).isEqualTo(0.5);
  }

  @Test
  void linearFollowsItsFormulaAtEveryCheckpoint() {
    Linear s = new Linear(ramp);
    for (int k = 0; k <= 10; k++) {
      long t = 1_000 + 200L * k;
      assertThat(s.sparsityAt(t)).isCloseTo(0.05 + 0.45 * k / 10.0, within(1e-15));
    }
    assertThat(s.sparsityAt(0)).isEqualTo(0.05);
    assertThat(s.sparsityAt(50_000)).isEqualTo(0.5);
  }

  @Test
  void cubicFollowsZhuAndGupta() {
    Cubic s = new Cubic(ramp);
    for (long t = 1_000; t <= 3_000; t += 37) {
      double expected = 0.5 + (0.05 - 0.5) * Math.pow(1 - (t - 1_000) / 2_000.0, 3);
      assertThat(s.sparsityAt(t)).isCloseTo(expected, within(1e-15));
    }
    assertThat(s.sparsityAt(999)).isCloseTo(0.05, within(1e-15));
    assertThat(s.sparsityAt(3_000)).isCloseTo(0.5, within(1e-15));
    assertThat(s.sparsityAt(9_999)).isCloseTo(0.5, within(1e-15));
    // prunes faster early than the linear ramp
    assertThat(s.sparsityAt(1_400)).isGreaterThan(new Linear(ramp).sparsityAt(1_400));
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> new Ramp(0, 1.2, 0, 1, 1)).hasMessageContaining("target sparsity");
    assertThatThrownBy(() -> new Ramp(0, 0.5, -1, 1, 1)).hasMessageContaining("start step");
    assertThatThrownBy(() -> new Ramp(0, 0.5, 0, 0, 1)).hasMessageContaining("n must be");
    assertThatThrownBy(() -> new Ramp(0, 0.5, 0, 1, 0)).hasMessageContaining("Δt");
    assertThatThrownBy(() -> new OneShot(0, Double.NaN)).hasMessageContaining("sparsity");
    assertThatThrownBy(() -> new Linear(ramp).sparsityAt(-1)).hasMessageContaining("step");
  }
}
