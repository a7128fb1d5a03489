package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriterionScoresTest {

  @Test
  void rejectsBadInputNamingLayerAndCriterion() {
    assertThatThrownBy(() -> CriterionScores.of("l1", Map.of()))
        .hasMessageContaining("l1")
        .hasMessageContaining("no criteria");
    assertThatThrownBy(() -> CriterionScores.of("l1", Map.of("taylor", new double[0])))
        .hasMessageContaining("taylor")
        .hasMessageContaining("empty");
    Map<String, double[]> lengths = new LinkedHashMap<>();
    lengths.put("a", new double[3]);
    lengths.put("b", new double[2]);
    assertThatThrownBy(() -> CriterionScores.of("l1", lengths))
        .hasMessageContaining("criterion b")
        .hasMessageContaining("expected 3");
    assertThatThrownBy(
            () -> CriterionScores.of("l2", Map.of("fisher", new double[] {0, Double.NaN})))
        .hasMessageContaining("l2")
        .hasMessageContaining("fisher")
        .hasMessageContaining("neuron 1");
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

  @Test
  void normaliseAppliesTheNormaliserToEachCriterion() {
    Map<String, double[]> raw = new LinkedHashMap<>();
    raw.put("hap", new double[] {-2, 0.5, 3, 3});
    raw.put("taylor", new double[] {1e-4, 5e-4, 2e-4, 0});
    for (Normalizer n : Normalizers.all()) {
      CriterionScores s = CriterionScores.normalise("h1", raw, n);
      assertThat(s.names()).containsExactly("hap", "taylor");
      assertThat(s.scores("hap")).containsExactly(n.normalize("h1", raw.get("hap")));
      assertThat(s.scores("taylor")).containsExactly(n.normalize("h1", raw.get("taylor")));
    }
    assertThatThrownBy(
            () ->
                CriterionScores.normalise(
                    "h1", Map.of("hap", new double[] {Double.NaN}), Normalizers.byName("rank")))
        .hasMessageContaining("h1");
  }
}
