package io.prunewire.scorers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalizersTest {
  private final Normalizer rank = new RankNormalizer();
  private final Normalizer robust = new RobustZNormalizer();
  private final Normalizer minMax = new MinMaxNormalizer();

  @Test
  void rankAveragesTiesAndScalesToUnitInterval() {
    double[] out = rank.normalize("l", new double[] {3, -1, 3, 10, 0});
    // sorted: -1 (0), 0 (1), 3, 3 (2, 3 -> 2.5), 10 (4); divided by 4
    assertThat(out).containsExactly(2.5 / 4, 0, 2.5 / 4, 1, 0.25);
  }

  @Test
  void rankMatchesABruteForceCountOnRandomInputWithTies() {
    Random random = new Random(1);
    double[] x = new double[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextInt(40) - 20;
    }
    double[] out = rank.normalize("l", x);
    for (int i = 0; i < x.length; i++) {
      int below = 0;
      int equal = 0;
      for (double y : x) {
        below += y < x[i] ? 1 : 0;
        equal += y == x[i] ? 1 : 0;
      }
      assertThat(out[i]).isCloseTo((below + (equal - 1) / 2.0) / (x.length - 1), within(1e-12));
    }
  }

  /**
   * One binary search per neuron plus a pass over the runs of ties gives bit for bit what the
   * earlier two binary searches per neuron gave, {@code 0.5 * (first + last) / (n - 1)}.
   */
  @Test
  void rankIsBitForBitTheTwoSearchFormula() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      double[] x = new double[2 + random.nextInt(1500)];
      for (int i = 0; i < x.length; i++) {
        int kind = random.nextInt(4);
        x[i] =
            kind == 0
                ? 0.0
                : kind == 1 ? -0.0 : kind == 2 ? random.nextInt(30) : random.nextGaussian();
      }
      double[] out = rank.normalize("l", x);
      for (int i = 0; i < x.length; i++) {
        double v = x[i] + 0.0;
        int first = 0;
        int above = 0;
        for (double y : x) {
          first += y + 0.0 < v ? 1 : 0;
          above += y + 0.0 <= v ? 1 : 0;
        }
        int last = above - 1;
        assertThat(out[i]).isEqualTo(0.5 * (first + last) / (x.length - 1));
      }
    }
  }

  @Test
  void rankTiesNegativeAndPositiveZero() {
    assertThat(rank.normalize("l", new double[] {0.0, -0.0, 1})).containsExactly(0.25, 0.25, 1);
  }

  @Test
  void robustZUsesMedianAndMad() {
    double[] x = {1, 2, 3, 4, 100};
    // median 3, deviations 2,1,0,1,97 -> MAD 1
    double[] out = robust.normalize("l", x);
    for (int i = 0; i < x.length; i++) {
      double z = (x[i] - 3) / 1.4826;
      assertThat(out[i]).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
    }
    assertThat(out[2]).isEqualTo(0.5);
  }

  @Test
  void robustZFallsBackToMeanAbsoluteDeviationWhenMadIsZero() {
    double[] x = {5, 5, 5, 5, 9, 1};
    // median 5, deviations 0,0,0,0,4,4 -> MAD 0, mean deviation 8/6
    double[] out = robust.normalize("l", x);
    double scale = 1.253314 * 8 / 6;
    assertThat(out[4]).isCloseTo(1 / (1 + Math.exp(-4 / scale)), within(1e-12));
    assertThat(out[5]).isCloseTo(1 / (1 + Math.exp(4 / scale)), within(1e-12));
    assertThat(out[0]).isEqualTo(0.5);
  }

  @Test
  void minMaxIsAffine() {
    assertThat(minMax.normalize("l", new double[] {-2, 0, 6})).containsExactly(0, 0.25, 1);
  }

  @Test
  void constantScoresAndSingleNeuronsMapToOneHalf() {
    for (Normalizer n : Normalizers.all()) {
      assertThat(n.normalize("l", new double[] {4, 4, 4}))
          .as(n.name())
          .containsExactly(0.5, 0.5, 0.5);
      assertThat(n.normalize("l", new double[] {-7})).as(n.name()).containsExactly(0.5);
    }
  }

  @Test
  void everyNormalizerIsMonotoneIntoTheUnitIntervalAndHandlesNegativeTraces() {
    Random random = new Random(2);
    double[] x = new double[300];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * 1e-3 - 2e-4; // signed Hutchinson-trace-like values
    }
    for (Normalizer n : Normalizers.all()) {
      double[] out = n.normalize("l", x);
      for (int i = 0; i < x.length; i++) {
        assertThat(out[i]).isBetween(0.0, 1.0);
        for (int j = 0; j < x.length; j++) {
          if (x[i] < x[j]) {
            assertThat(out[i]).as(n.name()).isLessThanOrEqualTo(out[j]);
          }
        }
      }
    }
  }

  @Test
  void inputIsNotModified() {
    double[] x = {3, 1, 2};
    for (Normalizer n : Normalizers.all()) {
      n.normalize("l", x);
    }
    assertThat(x).containsExactly(3, 1, 2);
  }

  @Test
  void badInputNamesLayerAndNeuron() {
    for (Normalizer n : Normalizers.all()) {
      assertThatThrownBy(() -> n.normalize("layer1.snn", new double[] {1, Double.NaN}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("layer1.snn")
          .hasMessageContaining("neuron 1")
          .hasMessageContaining("NaN");
      assertThatThrownBy(() -> n.normalize("layer2", new double[] {Double.NEGATIVE_INFINITY}))
          .hasMessageContaining("layer2")
          .hasMessageContaining("Infinity");
      assertThatThrownBy(() -> n.normalize("layer3", new double[0])).hasMessageContaining("layer3");
    }
    assertThat(Normalizers.byName("robust_z")).isInstanceOf(RobustZNormalizer.class);
    assertThatThrownBy(() -> Normalizers.byName("zscore"))
        .hasMessageContaining("rank, robust_z, min_max");
    assertThat(Arrays.asList("rank", "robust_z", "min_max"))
        .containsExactlyElementsOf(Normalizers.all().stream().map(Normalizer::name).toList());
  }
}
