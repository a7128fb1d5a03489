package io.prunewire.scorers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class IndexSortTest {

  private final Random random = new Random(7);

  private double[] randomWithTies(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextInt(n / 2 + 1) - n / 4.0; // many ties, some negative
    }
    return v;
  }

  @RepeatedTest(20)
  void ascendingEqualsAStableBoxedSort() {
    double[] keys = randomWithTies(1 + random.nextInt(300));
    Integer[] expected = IntStream.range(0, keys.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        expected, Comparator.comparingDouble((Integer i) -> keys[i]).thenComparingInt(i -> i));
    assertThat(IndexSort.ascending(keys))
        .containsExactly(Arrays.stream(expected).mapToInt(i -> i).toArray());
  }

  @RepeatedTest(20)
  void averageRanksCountSmallerAndTiedValues() {
    double[] v = randomWithTies(1 + random.nextInt(200));
    double[] ranks = IndexSort.averageRanks(v);
    for (int i = 0; i < v.length; i++) {
      int less = 0;
      int equal = 0;
      for (double x : v) {
        if (x < v[i]) {
          less++;
        } else if (x == v[i]) {
          equal++;
        }
      }
      assertThat(ranks[i]).isEqualTo(less + (equal + 1) / 2.0);
    }
  }

  @Test
  void emptyAndSingle() {
    assertThat(IndexSort.ascending(new double[0])).isEmpty();
    assertThat(IndexSort.averageRanks(new double[] {3.0})).containsExactly(1.0);
  }
}
