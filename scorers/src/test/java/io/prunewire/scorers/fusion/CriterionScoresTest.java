package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriterionScoresTest {

  @Test
  void rejectsBadInputNamingLayerAndCriterion() {
    assertThatThrownBy(() -> CriterionScores.of("l1", Map.of()))
        .hasMessageContaining("l1").hasMessageContaining("no criteria");
    assertThatThrownBy(() -> CriterionScores.of("l1", Map.of("taylor", new double[0])))
        .hasMessageContaining("taylor").hasMessageContaining("empty");
    Map<String, double[]> lengths = new LinkedHashMap<>();
    lengths.put("a", new double[3]);
    lengths.put("b", new double[2]);
    assertThatThrownBy(() -> CriterionScores.of("l1", lengths))
        .hasMessageContaining("criterion b").hasMessageContaining("expected 3");
    assertThatThrownBy(() -> CriterionScores.of("l2", Map.of("fisher", new double[] {0, Double.NaN})))
        .hasMessageContaining("l2").hasMessageContaining("fisher").hasMessageContaining("neuron 1");
    assertThatThrownBy(() -> CriterionScores.of("l2", Map.of("a", new double[] {1})).scores("b"))
        .hasMessageContaining("criterion b is missing");
  }

  @Test
  void copiesArraysInAndOut() {
    double[] a = {1, 2};
    CriterionScores s = CriterionScores.of("l", Map.of("a", a));
    a[0] = 99;
    s.scores("a")[1] = 99;
    assertThat(s.scores("a")).containsExactly(1, 2);
  }
}
