package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoundLogAxisTest {

  /** The leading digit of {@code v} when it is of the form m·10^k with m in {1, 2, 5}, else −1. */
  private static int oneTwoFive(double v) {
    double m = v / Math.pow(10, Math.floor(Math.log10(v)));
    for (int candidate : new int[] {1, 2, 5, 10}) {
      if (Math.abs(m - candidate) < 1e-9 * candidate) {
        return candidate % 10 == 0 ? 1 : candidate;
      }
    }
    return -1;
  }

  @Test
  void ticksAreRoundValuesInsideTheRange() {
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      double lo = Math.pow(10, random.nextDouble() * 8 - 3);
      double hi = lo * Math.pow(10, random.nextDouble() * 6 + 0.001);
      List<Double> ticks = RoundLogAxis.roundValues(lo, hi);
      assertThat(ticks)
          .as("[%s, %s]", lo, hi)
          .hasSizeBetween(3, 12)
          .isSorted()
          .allMatch(v -> v >= lo && v <= hi);
      boolean decades = ticks.stream().allMatch(v -> oneTwoFive(v) > 0);
      double step = ticks.get(1) - ticks.get(0);
      boolean linear = oneTwoFive(step) > 0;
      for (int t = 1; t < ticks.size(); t++) {
        linear &= Math.abs(ticks.get(t) - ticks.get(t - 1) - step) < 1e-9 * hi;
      }
      assertThat(decades || linear).as("round ticks %s on [%s, %s]", ticks, lo, hi).isTrue();
    }
  }

  @Test
  void niceStepIsTheSmallestOneTwoFiveStepAboveTheRoughOne() {
    Random random = new Random(8);
    for (int i = 0; i < 2000; i++) {
      double rough = Math.pow(10, random.nextDouble() * 10 - 5);
      double step = RoundLogAxis.niceStep(rough);
      assertThat(step).isGreaterThanOrEqualTo(rough).isLessThanOrEqualTo(2.5 * rough);
      assertThat(oneTwoFive(step)).as("step %s for %s", step, rough).isPositive();
    }
  }

  @Test
  void anEmptyOrNonPositiveRangeHasNoTicks() {
    assertThat(RoundLogAxis.roundValues(0, 10)).isEmpty();
    assertThat(RoundLogAxis.roundValues(5, 5)).isEmpty();
    assertThat(RoundLogAxis.roundValues(5, Double.POSITIVE_INFINITY)).isEmpty();
  }
}
