package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EffectiveRankTest {
  @Test
  void jacobiRecoversAPlantedSpectrumAndOrthonormalVectors() {
    Random random = new Random(1);
    int m = 9;
    double[] lambda = {7, 3, 3, 1, 0.5, 0, -2, 4, 1e-3};
    double[] q = Matrices.orthogonal(random, m);
    double[] a = new double[m * m];
    for (int p = 0; p < m; p++) {
      for (int r = 0; r < m; r++) {
        for (int k = 0; k < m; k++) {
          a[p * m + r] += q[p * m + k] * lambda[k] * q[r * m + k];
        }
      }
    }
    SymmetricEigen eigen = SymmetricEigen.of(a, m);
    double[] found = eigen.values().clone();
    double[] planted = lambda.clone();
    Arrays.sort(found);
    Arrays.sort(planted);
    for (int k = 0; k < m; k++) {
      assertThat(found[k]).isCloseTo(planted[k], within(1e-10));
    }
    double[] v = eigen.vectors();
    for (int k = 0; k < m; k++) {
      for (int p = 0; p < m; p++) {
        double av = 0;
        for (int r = 0; r < m; r++) {
          av += a[p * m + r] * v[r * m + k];
        }
        assertThat(av).isCloseTo(eigen.values()[k] * v[p * m + k], within(1e-10));
      }
      for (int l = 0; l < m; l++) {
        double dot = 0;
        for (int p = 0; p < m; p++) {
          dot += v[p * m + k] * v[p * m + l];
        }
        assertThat(dot).isCloseTo(k == l ? 1 : 0, within(1e-12));
      }
    }
  }

  @Test
  void effectiveRankOfPlantedSingularValuesOnBothShapes() {
    Random random = new Random(2);
    double[] sigma = {5, 2, 1, 0.25};
    double expected = Matrices.effectiveRank(sigma);
    assertThat(EffectiveRank.of(Matrices.withSingularValues(random, 7, 4, sigma), 7, 4))
        .isCloseTo(expected, within(1e-10));
    assertThat(EffectiveRank.of(Matrices.withSingularValues(random, 4, 9, sigma), 4, 9))
        .isCloseTo(expected, within(1e-10));
    assertThat(
            EffectiveRank.of(
                Matrices.withSingularValues(random, 6, 6, new double[] {1, 1, 1, 1, 1, 1}), 6, 6))
        .isCloseTo(6, within(1e-10));
    assertThat(EffectiveRank.of(new double[6], 2, 3)).isZero();
  }

  @Test
  void dropsOfOrthogonalColumnsAreClosedForm() {
    // columns are orthogonal with norms 3, 1, 2, 0.5: singular values are exactly those norms
    double[] norms = {3, 1, 2, 0.5};
    Random random = new Random(3);
    int fanIn = 6;
    double[] q = Matrices.orthogonal(random, fanIn);
    double[] a = new double[fanIn * 4];
    for (int j = 0; j < fanIn; j++) {
      for (int i = 0; i < 4; i++) {
        a[j * 4 + i] = q[j * fanIn + i] * norms[i];
      }
    }
    double base = Matrices.effectiveRank(norms);
    double[] exact = EffectiveRank.exactDrops(a, fanIn, 4);
    double[] approx = EffectiveRank.drops(a, fanIn, 4);
    for (int i = 0; i < 4; i++) {
      double[] rest = new double[3];
      for (int c = 0, r = 0; c < 4; c++) {
        if (c != i) {
          rest[r++] = norms[c];
        }
      }
      double expected = base - Matrices.effectiveRank(rest);
      assertThat(exact[i]).isCloseTo(expected, within(1e-10));
      assertThat(approx[i]).isCloseTo(expected, within(1e-9));
    }
  }

  @Test
  void secularDropsEqualRecomputingTheSpectrumWithoutEachColumn() {
    Random random = new Random(4);
    int[][] shapes = {{12, 8}, {8, 12}, {15, 15}, {1, 5}, {5, 1}, {3, 3}};
    for (int[] shape : shapes) {
      int fanIn = shape[0];
      int n = shape[1];
      double[] a = new double[fanIn * n];
      for (int j = 0; j < a.length; j++) {
        // unequal column scales make the contributions differ
        a[j] = random.nextGaussian() * (1 + (j % n) * 0.3);
      }
      double[] exact = EffectiveRank.exactDrops(a, fanIn, n);
      double[] fast = EffectiveRank.drops(a, fanIn, n);
      for (int i = 0; i < n; i++) {
        assertThat(fast[i])
            .as("shape %dx%d neuron %d", fanIn, n, i)
            .isCloseTo(exact[i], within(1e-8));
      }
    }
  }

  @Test
  void repeatedSingularValuesAndDuplicateColumnsAreHandled() {
    // two identical columns and an orthonormal block with equal singular values
    double[] a = {
      1, 1, 0, 0,
      2, 2, 0, 0,
      0, 0, 1, 0,
      0, 0, 0, 1,
      0, 0, 0, 0
    };
    double[] exact = EffectiveRank.exactDrops(a, 5, 4);
    double[] fast = EffectiveRank.drops(a, 5, 4);
    for (int i = 0; i < 4; i++) {
      assertThat(fast[i]).isCloseTo(exact[i], within(1e-8));
    }
    assertThat(fast[0]).isCloseTo(fast[1], within(1e-12));
  }
}
