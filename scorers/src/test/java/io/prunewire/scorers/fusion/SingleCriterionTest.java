package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleCriterionTest {

  private static CriterionScores layer() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("magnitude", new double[] {0.1, 0.9, 0.5});
    m.put("hap", new double[] {0.7, 0.2, 0.3});
    return CriterionScores.of("h1.rnn", m);
  }

  @Test
  void theNamedCriterionAloneDecides() {
    FusedScores f = new SingleCriterion("hap").fuse(layer());
    assertThat(f.scores()).containsExactly(0.7, 0.2, 0.3);
    assertThat(f.weights()).containsExactly(Map.entry("hap", 1.0));
    assertThat(f.strategy()).isEqualTo("criterion:hap");
  }

  @Test
  void anUnknownCriterionIsNamedInTheError() {
    assertThatThrownBy(() -> new SingleCriterion("taylor").fuse(layer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taylor")
        .hasMessageContaining("h1.rnn");
    assertThatThrownBy(() -> new SingleCriterion(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
