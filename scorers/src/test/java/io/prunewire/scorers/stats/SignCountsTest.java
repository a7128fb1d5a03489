package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SignCountsTest {
  @Test
  void countsSignsAndConsistency() {
    SignCounts signs = new SignCounts(3);
    signs.addWindow(new double[] {1, -1, 0});
    signs.addWindow(new double[] {2, 1, 0});
    signs.addWindow(new double[] {0.5, -3, -1});
    signs.addWindow(new double[] {4, 2, 1});
    assertThat(signs.windows()).isEqualTo(4);
    assertThat(signs.positive(0)).isEqualTo(4);
    assertThat(signs.negative(1)).isEqualTo(2);
    assertThat(signs.consistency(0)).isEqualTo(1.0);
    assertThat(signs.consistency(1)).isEqualTo(0.0);
    assertThat(signs.consistency(2)).isEqualTo(0.0);
  }

  @Test
  void mergeInAnyOrderEqualsSequentialCounting() {
    Random random = new Random(5);
    double[][] windows = new double[30][];
    SignCounts whole = new SignCounts(4);
    for (int w = 0; w < windows.length; w++) {
      windows[w] = Data.rows(random, 1, 4, 0, 1);
      whole.addWindow(windows[w]);
    }
    for (int trial = 0; trial < 10; trial++) {
      SignCounts merged = new SignCounts(4);
      for (int[] part : Data.randomParts(random, windows.length, 5)) {
        SignCounts piece = new SignCounts(4);
        for (int w = part[0]; w < part[1]; w++) {
          piece.addWindow(windows[w]);
        }
        merged.merge(piece);
      }
      assertThat(merged).isEqualTo(whole);
    }
    assertThat(SignCounts.of(whole.windows(), whole.positiveArray(), whole.negativeArray()))
        .isEqualTo(whole);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> SignCounts.of(2, new long[] {2}, new long[] {1}))
        .hasMessageContaining("positive[0] + negative[0] = 3 exceeds windows = 2");
    assertThatThrownBy(() -> SignCounts.of(2, new long[] {1}, new long[] {1, 1}))
        .hasMessageContaining("negative has length 2");
    assertThatThrownBy(() -> new SignCounts(2).addWindow(new double[] {0, Double.NaN}))
        .hasMessageContaining("windowValues[1]");
  }
}
