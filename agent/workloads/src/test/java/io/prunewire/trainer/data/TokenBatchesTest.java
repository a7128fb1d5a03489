package io.prunewire.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class TokenBatchesTest {
  /** Tokens 0..22 with batch 3: 7 steps, the last two tokens dropped. */
  private final TokenBatches batches = new TokenBatches(IntStream.range(0, 23).toArray(), 3);

  @Test
  void batchifyLaysStreamsSideBySide() {
    assertThat(batches.steps()).isEqualTo(7);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 7; t++) {
        assertThat(batches.at(t, b)).isEqualTo(b * 7 + t);
      }
    }
  }

  @Test
  void windowsShiftTargetsByOneAndTheLastIsShorter() {
    // 6 predictable steps with bptt 4: windows of 4 and 2
    assertThat(batches.windowCount(4)).isEqualTo(2);
    DataSet first = batches.window(0, 4);
    DataSet last = batches.window(1, 4);
    assertThat(first.getFeatures().shape()).containsExactly(3, 1, 4);
    assertThat(last.getFeatures().shape()).containsExactly(3, 1, 2);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        assertThat(first.getFeatures().getDouble(b, 0, t)).isEqualTo(b * 7 + t);
        assertThat(first.getLabels().getDouble(b, 0, t)).isEqualTo(b * 7 + t + 1);
      }
      assertThat(last.getFeatures().getDouble(b, 0, 1)).isEqualTo(b * 7 + 5);
      assertThat(last.getLabels().getDouble(b, 0, 1)).isEqualTo(b * 7 + 6);
    }
    DataSet all = batches.all();
    assertThat(all.getFeatures().shape()).containsExactly(3, 1, 6);
    assertThat(all.getLabels().getDouble(2, 0, 5)).isEqualTo(20);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new TokenBatches(new int[5], 0))
        .hasMessageContaining("batch size must be positive");
    assertThatThrownBy(() -> new TokenBatches(new int[5], 3))
        .hasMessageContaining("need at least 2");
    assertThatThrownBy(() -> batches.window(2, 4)).hasMessageContaining("window 2 outside [0, 2)");
    assertThatThrownBy(() -> batches.windowCount(0)).hasMessageContaining("bptt must be positive");
  }
}
