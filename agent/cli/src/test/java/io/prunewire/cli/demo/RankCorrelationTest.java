package io.prunewire.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void withoutTiesItIsTheClassicFormula() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 3 + random.nextInt(30);
      double[] x = random.doubles(n).toArray();
      double[] y = random.doubles(n).map(v -> v + 0.3 * x[0]).toArray();
      double sumD2 = 0;
      for (int i = 0; i < n; i++) {
        double d = bruteRank(x, i) - bruteRank(y, i);
        sumD2 += d * d;
      }
      double expected = 1 - 6 * sumD2 / (n * ((double) n * n - 1));
      assertThat(RankCorrelation.spearman(x, y)).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void tiesGetTheirMeanRank() {
    Random random = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int n = 3 + random.nextInt(20);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextInt(4);
      }
      double[] ranks = RankCorrelation.ranks(v);
      for (int i = 0; i < n; i++) {
        assertThat(ranks[i]).isCloseTo(bruteRank(v, i), within(1e-12));
      }
    }
  }

  @Test
  void monotoneMapsGivePlusOrMinusOne() {
    double[] x = {0.1, 3, -2, 7, 4.5};
    double[] up = {Math.exp(0.1), Math.exp(3), Math.exp(-2), Math.exp(7), Math.exp(4.5)};
    double[] down = {-0.1, -3, 2, -7, -4.5};
    assertThat(RankCorrelation.spearman(x, up)).isCloseTo(1, within(1e-12));
    assertThat(RankCorrelation.spearman(x, down)).isCloseTo(-1, within(1e-12));
  }

  @Test
  void undefinedAndBadInput() {
    assertThat(RankCorrelation.spearman(new double[] {1, 2}, new double[] {2, 1})).isNaN();
    assertThat(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {1, 2}))
        .hasMessageContaining("lengths differ");
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3}))
        .hasMessageContaining("pair 1");
  }

  /** 1-based rank with ties averaged: 1 + #smaller + (#equal others)/2. */
  private static double bruteRank(double[] v, int i) {
    int smaller = 0;
    int equal = 0;
    for (int j = 0; j < v.length; j++) {
      if (v[j] < v[i]) {
        smaller++;
      } else if (v[j] == v[i] && j != i) {
        equal++;
      }
    }
    return 1 + smaller + equal / 2.0;
  }
}
