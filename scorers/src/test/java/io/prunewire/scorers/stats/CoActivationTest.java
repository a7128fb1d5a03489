package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CoActivationTest {
  /** Correlated data: a few latent factors mixed into n neurons, plus one constant neuron. */
  private static double[] correlated(Random random, int rows, int n) {
    double[][] mix = new double[n][3];
    for (double[] m : mix) {
      for (int f = 0; f < 3; f++) {
        m[f] = random.nextGaussian();
      }
    }
    double[] x = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double[] latent = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      for (int i = 0; i < n; i++) {
        double v = 0.3 * random.nextGaussian() + 5;
        for (int f = 0; f < 3; f++) {
          v += mix[i][f] * latent[f];
        }
        x[r * n + i] = i == n - 1 ? 0.7 : v;
      }
    }
    return x;
  }

  @Test
  void withAllNeuronsAsAnchorsItIsTheExactCorrelationMatrix() {
    int n = 9;
    double[] rows = correlated(new Random(1), 200, n);
    CoActivation co = new CoActivation(n, n, 42);
    co.addRows(rows);
    for (int a = 0; a < n; a++) {
      assertThat(co.anchor(a)).isEqualTo(a);
    }
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < n; a++) {
        assertThat(co.correlation(i, a)).isCloseTo(Data.pearson(rows, n, i, a), within(1e-12));
      }
    }
    assertThat(co.correlation(0, 0)).isCloseTo(1, within(1e-12));
    assertThat(co.correlation(n - 1, 0)).isZero();
  }

  @Test
  void anchorsAreSeededDistinctAndSorted() {
    CoActivation a = new CoActivation(100, 10, 7);
    CoActivation b = new CoActivation(100, 10, 7);
    CoActivation c = new CoActivation(100, 10, 8);
    assertThat(a.anchorArray()).containsExactly(b.anchorArray()).isSorted().doesNotHaveDuplicates();
    assertThat(a.anchorArray()).isNotEqualTo(c.anchorArray());
    assertThat(a.anchorArray()[0]).isGreaterThanOrEqualTo(0);
    assertThat(a.anchorArray()[9]).isLessThan(100);
  }

  @Test
  void randomSplitsMergedInRandomOrderEqualTheWhole() {
    Random random = new Random(3);
    int n = 12;
    for (int trial = 0; trial < 30; trial++) {
      int rows = 2 + random.nextInt(80);
      double[] data = correlated(random, rows, n);
      CoActivation whole = new CoActivation(n, 5, 11);
      whole.addRows(data);
      CoActivation merged = new CoActivation(n, 5, 11);
      for (int[] part : Data.randomParts(random, rows, 8)) {
        CoActivation piece = new CoActivation(n, 5, 11);
        piece.addRows(Data.slice(data, n, part[0], part[1]));
        merged.merge(piece);
      }
      assertThat(merged.count()).isEqualTo(rows);
      for (int i = 0; i < n; i++) {
        assertThat(Data.close(whole.mean(i), merged.mean(i), 1e-9)).isTrue();
        assertThat(Data.close(whole.m2(i), merged.m2(i), 1e-9)).isTrue();
        for (int a = 0; a < 5; a++) {
          assertThat(Data.close(whole.comoment(i, a), merged.comoment(i, a), 1e-9)).isTrue();
          assertThat(merged.correlation(i, a))
              .isCloseTo(Data.pearson(data, n, i, merged.anchor(a)), within(1e-9));
        }
      }
    }
  }

  @Test
  void largeFloatBatchesSpanningSeveralBlocksEqualTheDoublePath() {
    int n = 40;
    double[] rows = correlated(new Random(6), 4000, n); // 160,000 values: three widening blocks
    float[] floats = new float[rows.length];
    double[] widened = new double[rows.length];
    for (int j = 0; j < rows.length; j++) {
      floats[j] = (float) rows[j];
      widened[j] = floats[j];
    }
    CoActivation fromFloats = new CoActivation(n, 7, 3);
    fromFloats.addRows(floats);
    CoActivation fromDoubles = new CoActivation(n, 7, 3);
    fromDoubles.addRows(widened);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 7; a++) {
        assertThat(Data.close(fromDoubles.comoment(i, a), fromFloats.comoment(i, a), 1e-9))
            .isTrue();
        assertThat(fromFloats.correlation(i, a))
            .isCloseTo(Data.pearson(widened, n, i, fromFloats.anchor(a)), within(1e-9));
      }
    }
  }

  @Test
  void rawRoundTripAndValidation() {
    CoActivation co = new CoActivation(6, 3, 1);
    co.addRows(correlated(new Random(4), 20, 6));
    CoActivation restored =
        CoActivation.of(
            co.count(), co.anchorArray(), co.meanArray(), co.m2Array(), co.comomentArray());
    assertThat(restored).isEqualTo(co);
    assertThatThrownBy(() -> new CoActivation(5, 6, 1)).hasMessageContaining("k = 6");
    assertThatThrownBy(
            () -> CoActivation.of(1, new int[] {2, 2}, new double[4], new double[4], new double[8]))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(
            () -> CoActivation.of(1, new int[] {1}, new double[4], new double[4], new double[3]))
        .hasMessageContaining("comoment has length 3");
    assertThatThrownBy(() -> co.merge(new CoActivation(6, 2, 1)))
        .hasMessageContaining("different anchors");
  }
}
