package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class SpearmanTest {

  private final Random random = new Random(11);

  @RepeatedTest(10)
  void withoutTiesEqualsTheClassicFormula() {
    int n = 5 + random.nextInt(100);
    double[] x = random.doubles(n).toArray();
    double[] y = random.doubles(n).toArray();
    double d2 = 0;
    for (int i = 0; i < n; i++) {
      d2 += Math.pow(rank(x, i) - rank(y, i), 2);
    }
    double expected = 1 - 6 * d2 / (n * ((double) n * n - 1));
    assertThat(Spearman.of(x, y)).isCloseTo(expected, within(1e-12));
  }

  private static int rank(double[] v, int i) {
    int r = 1;
    for (double x : v) {
      if (x < v[i]) {
        r++;
      }
    }
    return r;
  }

  @Test
  void monotoneTransformsGiveOneAndMinusOne() {
    double[] x = {0.3, -2, 5, 1, 1.5};
    double[] cubed = new double[x.length];
    double[] negated = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      cubed[i] = x[i] * x[i] * x[i];
      negated[i] = -x[i];
    }
    assertThat(Spearman.of(x, cubed)).isCloseTo(1.0, within(1e-12));
    assertThat(Spearman.of(x, negated)).isCloseTo(-1.0, within(1e-12));
  }

  @Test
  void undefinedForConstantOrTooShortInput() {
    assertThat(Spearman.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    assertThat(Spearman.of(new double[] {1}, new double[] {2})).isNaN();
    assertThatThrownBy(() -> Spearman.of(new double[2], new double[3]))
        .hasMessageContaining("length mismatch");
  }
}
