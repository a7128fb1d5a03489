package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CountsTest {
  private static final int N = 11;

  private static long bruteNonZero(double[] rows, int neuron) {
    long c = 0;
    for (int r = 0; r < rows.length / N; r++) {
      if (rows[r * N + neuron] != 0) {
        c++;
      }
    }
    return c;
  }

  @Test
  void countsNonZeroValuesLikeABruteForceLoop() {
    double[] rows = Data.rows(new Random(1), 40, N, 0, 1);
    Counts counts = new Counts(N);
    counts.addRows(rows);
    assertThat(counts.total()).isEqualTo(40);
    for (int i = 0; i < N; i++) {
      assertThat(counts.count(i)).isEqualTo(bruteNonZero(rows, i));
      assertThat(counts.rate(i)).isEqualTo(bruteNonZero(rows, i) / 40.0);
    }
  }

  @Test
  void randomSplitsMergedInRandomOrderEqualTheWhole() {
    Random random = new Random(2);
    for (int trial = 0; trial < 30; trial++) {
      int rows = 1 + random.nextInt(50);
      double[] data = Data.rows(random, rows, N, 0, 1);
      Counts whole = new Counts(N);
      whole.addRows(data);
      Counts merged = new Counts(N);
      for (int[] part : Data.randomParts(random, rows, 6)) {
        Counts piece = new Counts(N);
        float[] floats = new float[(part[1] - part[0]) * N];
        for (int j = 0; j < floats.length; j++) {
          floats[j] = (float) data[part[0] * N + j];
        }
        piece.addRows(floats);
        merged.merge(piece);
      }
      assertThat(merged).isEqualTo(whole);
    }
  }

  @Test
  void rawRoundTripAndValidation() {
    Counts counts = new Counts(N);
    counts.addRows(Data.rows(new Random(3), 7, N, 0, 1));
    assertThat(Counts.of(counts.total(), counts.countArray())).isEqualTo(counts);
    assertThatThrownBy(() -> Counts.of(-1, new long[2])).hasMessageContaining("total");
    assertThatThrownBy(() -> Counts.of(3, new long[] {1, 4})).hasMessageContaining("counts[1] = 4");
    assertThatThrownBy(() -> Counts.of(3, new long[] {-1, 0}))
        .hasMessageContaining("counts[0] = -1");
    assertThatThrownBy(() -> new Counts(2).addRows(new double[] {Double.NaN, 0}))
        .hasMessageContaining("neuron 0");
    Counts copy = counts.copy();
    copy.addRows(new double[N]);
    assertThat(copy.total()).isEqualTo(counts.total() + 1);
  }
}
