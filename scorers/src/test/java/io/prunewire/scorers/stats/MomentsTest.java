package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsTest {
  private static final int N = 13;

  @Test
  void matchesBruteForceBatchComputation() {
    Random random = new Random(1);
    double[] rows = Data.rows(random, 57, N, 3.0, 2.0);
    Moments moments = new Moments(N);
    moments.addRows(rows);
    assertThat(moments.count()).isEqualTo(57);
    for (int i = 0; i < N; i++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < 57; r++) {
        min = Math.min(min, rows[r * N + i]);
        max = Math.max(max, rows[r * N + i]);
      }
      assertThat(moments.mean(i)).isCloseTo(Data.mean(rows, N, i), within(1e-12));
      assertThat(moments.variance(i)).isCloseTo(Data.variance(rows, N, i), within(1e-11));
      assertThat(moments.m2(i)).isCloseTo(Data.variance(rows, N, i) * 57, within(1e-9));
      assertThat(moments.min(i)).isEqualTo(min);
      assertThat(moments.max(i)).isEqualTo(max);
      assertThat(moments.meanSquare(i))
          .isCloseTo(Data.variance(rows, N, i) + Math.pow(Data.mean(rows, N, i), 2), within(1e-10));
    }
  }

  @Test
  void randomSplitsMergedInRandomOrderEqualTheWhole() {
    Random random = new Random(2);
    for (int trial = 0; trial < 50; trial++) {
      int rows = 2 + random.nextInt(60);
      double[] data =
          Data.rows(random, rows, N, random.nextGaussian() * 100, 1 + random.nextInt(5));
      Moments whole = new Moments(N);
      whole.addRows(data);
      Moments merged = new Moments(N);
      for (int[] part : Data.randomParts(random, rows, 8)) {
        Moments piece = new Moments(N);
        if (part[1] - part[0] == 1 && random.nextBoolean()) {
          piece.addSample(Data.slice(data, N, part[0], part[1]));
        } else {
          piece.addRows(Data.slice(data, N, part[0], part[1]));
        }
        merged.merge(piece);
      }
      assertThat(merged.count()).isEqualTo(whole.count());
      for (int i = 0; i < N; i++) {
        assertThat(Data.close(whole.mean(i), merged.mean(i), 1e-9)).isTrue();
        assertThat(Data.close(whole.m2(i), merged.m2(i), 1e-9)).isTrue();
        assertThat(merged.min(i)).isEqualTo(whole.min(i));
        assertThat(merged.max(i)).isEqualTo(whole.max(i));
      }
    }
  }

  @Test
  void floatBatchesEqualTheirWidenedDoubles() {
    Random random = new Random(3);
    int rows = 9000; // larger than one widening block for N = 13
    float[] floats = new float[rows * N];
    double[] doubles = new double[rows * N];
    for (int j = 0; j < floats.length; j++) {
      floats[j] = (float) random.nextGaussian();
      doubles[j] = floats[j];
    }
    Moments fromFloats = new Moments(N);
    fromFloats.addRows(floats);
    Moments fromDoubles = new Moments(N);
    fromDoubles.addRows(doubles);
    for (int i = 0; i < N; i++) {
      assertThat(fromFloats.mean(i)).isCloseTo(fromDoubles.mean(i), within(1e-12));
      assertThat(fromFloats.m2(i)).isCloseTo(fromDoubles.m2(i), within(1e-8));
      assertThat(fromFloats.min(i)).isEqualTo(fromDoubles.min(i));
    }
    assertThat(fromFloats.count()).isEqualTo(rows);
  }

  @Test
  void aBadValueAnywhereInALargeBatchLeavesTheAccumulatorUntouched() {
    Moments moments = new Moments(N);
    moments.addRows(Data.rows(new Random(7), 4, N, 0, 1));
    Moments before = moments.copy();
    float[] big = new float[20000 * N]; // several widening blocks; the NaN sits in the last
    big[big.length - 2] = Float.NaN;
    assertThatThrownBy(() -> moments.addRows(big))
        .hasMessageContaining("row 19999, neuron " + (N - 2));
    assertThat(moments).isEqualTo(before);
  }

  @Test
  void rawArraysRoundTripAndCopyIsIndependent() {
    Moments moments = new Moments(N);
    moments.addRows(Data.rows(new Random(4), 10, N, 0, 1));
    Moments restored =
        Moments.of(
            moments.count(),
            moments.meanArray(),
            moments.m2Array(),
            moments.minArray(),
            moments.maxArray());
    assertThat(restored).isEqualTo(moments);
    Moments copy = moments.copy();
    copy.addRows(Data.rows(new Random(5), 3, N, 0, 1));
    assertThat(moments).isEqualTo(restored);
    assertThat(copy.count()).isEqualTo(13);
  }

  @Test
  void emptySideOfAMergeChangesNothing() {
    Moments moments = new Moments(N);
    moments.addRows(Data.rows(new Random(6), 5, N, 0, 1));
    Moments before = moments.copy();
    moments.merge(new Moments(N));
    assertThat(moments).isEqualTo(before);
    Moments empty = new Moments(N);
    empty.merge(before);
    assertThat(empty).isEqualTo(before);
  }

  @Test
  void rejectsBadInputNamingTheField() {
    double[] ok = new double[2];
    assertThatThrownBy(() -> Moments.of(-1, ok, ok, ok, ok)).hasMessageContaining("count");
    assertThatThrownBy(() -> Moments.of(3, new double[] {Double.NaN, 0}, ok, ok, ok))
        .hasMessageContaining("mean[0]")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Moments.of(3, ok, new double[] {0, -1}, ok, ok))
        .hasMessageContaining("m2[1]");
    assertThatThrownBy(() -> Moments.of(3, ok, new double[3], ok, ok))
        .hasMessageContaining("m2 has length 3");
    assertThatThrownBy(() -> Moments.of(3, ok, ok, new double[] {2, 0}, new double[] {1, 0}))
        .hasMessageContaining("min[0]")
        .hasMessageContaining("max[0]");
    assertThatThrownBy(
            () -> Moments.of(0, new double[] {1, 0}, ok, new double[] {1, 0}, new double[] {1, 0}))
        .hasMessageContaining("count is 0");
    assertThatThrownBy(() -> Moments.of(1, new double[0], ok, ok, ok))
        .hasMessageContaining("neurons");
    Moments moments = new Moments(2);
    assertThatThrownBy(() -> moments.addRows(new double[3])).hasMessageContaining("multiple of 2");
    assertThatThrownBy(() -> moments.addRows(new float[] {1, 2, 3, Float.POSITIVE_INFINITY}))
        .hasMessageContaining("row 1, neuron 1");
    assertThatThrownBy(() -> moments.merge(new Moments(3)))
        .hasMessageContaining("3 neurons into 2");
    assertThatThrownBy(() -> new Moments(0)).hasMessageContaining("neurons must be positive");
  }
}
