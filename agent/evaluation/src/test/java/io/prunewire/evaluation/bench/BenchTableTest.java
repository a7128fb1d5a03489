package io.prunewire.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;

class BenchTableTest {

  private final Random random = new Random(2);

  @RepeatedTest(10)
  void medianHasAsManyValuesBelowAsAbove() {
    double[] v = random.doubles(1 + random.nextInt(9)).toArray();
    Arrays.sort(v);
    double m = BenchTable.median(v);
    long below = Arrays.stream(v).filter(x -> x < m).count();
    long above = Arrays.stream(v).filter(x -> x > m).count();
    assertThat(below).isEqualTo(above);
    if (v.length % 2 == 1) {
      assertThat(v).contains(m);
    }
  }
}
