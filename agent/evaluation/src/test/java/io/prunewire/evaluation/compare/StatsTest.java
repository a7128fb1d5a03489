package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {

  private final Random random = new Random(3);

  private double[] randoms(int n) {
    return random.doubles(n).map(d -> d * 10 - 3).toArray();
  }

  @Test
  void pearsonMatchesTheRawMomentFormula() {
    for (int t = 0; t < 200; t++) {
      int n = 2 + random.nextInt(30);
      double[] x = randoms(n);
      double[] y = randoms(n);
      // r = (n Σxy − Σx Σy) / √((n Σx² − (Σx)²)(n Σy² − (Σy)²)), a different route to the same
      // value.
      double sx = Arrays.stream(x).sum();
      double sy = Arrays.stream(y).sum();
      double sxy = 0;
      double sxx = 0;
      double syy = 0;
      for (int i = 0; i < n; i++) {
        sxy += x[i] * y[i];
        sxx += x[i] * x[i];
        syy += y[i] * y[i];
      }
      double expected = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
      assertThat(Stats.pearson(x, y)).isCloseTo(expected, within(1e-9));
    }
  }

  @Test
  void pearsonIsUndefinedForAConstantSideOrASinglePair() {
    assertThat(Stats.pearson(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
    assertThat(Stats.pearson(new double[] {1}, new double[] {2})).isNaN();
  }

  @Test
  void logLogSlopeRecoversThePowerOfAPowerLaw() {
    for (int t = 0; t < 100; t++) {
      double k = random.nextDouble() * 3;
      double c = random.nextDouble() * 5 + 0.01;
      double[] x = {64, 128, 256, 512};
      double[] y = Arrays.stream(x).map(w -> c * Math.pow(w, k)).toArray();
      assertThat(Stats.logLogSlope(x, y)).isCloseTo(k, within(1e-9));
    }
    assertThat(Stats.logLogSlope(new double[] {64}, new double[] {1})).isNaN();
    assertThat(Stats.logLogSlope(new double[] {64, 128}, new double[] {1, 0})).isNaN();
  }

  @Test
  void medianIsTheMiddleOfTheSortedValues() {
    for (int t = 0; t < 100; t++) {
      double[] x = randoms(1 + random.nextInt(20));
      double[] sorted = x.clone();
      Arrays.sort(sorted);
      double expected =
          sorted.length % 2 == 1
              ? sorted[sorted.length / 2]
              : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      assertThat(Stats.median(x)).isEqualTo(expected);
    }
    assertThat(Stats.median(new double[0])).isNaN();
    assertThat(Stats.mean(new double[0])).isNaN();
  }
}
