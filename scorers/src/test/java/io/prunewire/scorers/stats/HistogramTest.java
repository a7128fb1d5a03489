package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void binsLikeABruteForceLoopAndClampsOutliers() {
    int n = 5;
    int bins = 8;
    double[] rows = Data.rows(new Random(1), 300, n, 0.5, 0.4);
    Histogram histogram = new Histogram(n, 0, 1, bins);
    histogram.addRows(rows);
    long[] expected = new long[n * bins];
    for (int r = 0; r < 300; r++) {
      for (int i = 0; i < n; i++) {
        double x = rows[r * n + i];
        int bin = 0;
        while (bin < bins - 1 && x >= (bin + 1) / (double) bins) {
          bin++;
        }
        expected[i * bins + bin]++;
      }
    }
    assertThat(histogram.countArray()).containsExactly(expected);
    assertThat(histogram.total()).isEqualTo(300);
  }

  @Test
  void edgeValuesFallIntoEdgeBins() {
    Histogram histogram = new Histogram(1, -1, 1, 4);
    histogram.addRows(new double[] {-5, -1, 1, 5, 0, -0.5});
    assertThat(histogram.countArray()).containsExactly(2, 1, 1, 2);
  }

  @Test
  void mergeEqualsWholeAndRequiresSameBins() {
    Random random = new Random(2);
    double[] data = Data.rows(random, 50, 3, 0, 1);
    Histogram whole = new Histogram(3, -2, 2, 10);
    whole.addRows(data);
    Histogram merged = new Histogram(3, -2, 2, 10);
    for (int[] part : Data.randomParts(random, 50, 7)) {
      Histogram piece = new Histogram(3, -2, 2, 10);
      piece.addRows(Data.slice(data, 3, part[0], part[1]));
      merged.merge(piece);
    }
    assertThat(merged).isEqualTo(whole);
    assertThat(Histogram.of(3, -2, 2, 10, whole.total(), whole.countArray())).isEqualTo(whole);
    assertThatThrownBy(() -> merged.merge(new Histogram(3, -2, 2, 9)))
        .hasMessageContaining("bins 9");
  }

  @Test
  void rejectsBadSpecsAndCounts() {
    assertThatThrownBy(() -> new Histogram(1, 1, 1, 4))
        .hasMessageContaining("lo = 1.0 must be below hi");
    assertThatThrownBy(() -> new Histogram(1, 0, 1, 0))
        .hasMessageContaining("bins must be positive");
    assertThatThrownBy(() -> new Histogram(1, Double.NaN, 1, 3)).hasMessageContaining("lo");
    assertThatThrownBy(() -> Histogram.of(1, 0, 1, 2, 3, new long[] {1, 1}))
        .hasMessageContaining("neuron 0 sum to 2");
  }
}
