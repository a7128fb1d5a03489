package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedWeightFusionTest {

  private final Random random = new Random(3);

  private Map<String, double[]> randomCriteria(int neurons, String... names) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, random.doubles(neurons).toArray());
    }
    return m;
  }

  @Test
  void simpleIsTheMeanOfTheCriteria() {
    Map<String, double[]> raw = randomCriteria(17, "a", "b", "c");
    FusedScores fused = new SimpleFusion().fuse(CriterionScores.of("l", raw));
    for (int i = 0; i < 17; i++) {
      double mean = (raw.get("a")[i] + raw.get("b")[i] + raw.get("c")[i]) / 3;
      assertThat(fused.score(i)).isCloseTo(mean, within(1e-15));
    }
    assertThat(fused.weights()).containsOnlyKeys("a", "b", "c");
    assertThat(fused.weights().values())
        .allSatisfy(w -> assertThat(w).isCloseTo(1.0 / 3, within(1e-15)));
    assertThat(fused.strategy()).isEqualTo("simple");
  }

  @Test
  void seedUsesTheProposalSubWeightsOverFourEqualFamilies() {
    String[] all =
        SeedFusion.WEIGHTS.stream().map(SeedFusion.SeedWeight::criterion).toArray(String[]::new);
    Map<String, double[]> raw = randomCriteria(9, all);
    raw.put("taylor", random.doubles(9).toArray()); // outside the proposal: ignored
    FusedScores fused = new SeedFusion().fuse(CriterionScores.of("l", raw));
    assertThat(fused.weights().get("weight_l2")).isCloseTo(0.3 / 4, within(1e-15));
    assertThat(fused.weights().get("gradient_magnitude")).isCloseTo(0.4 / 4, within(1e-15));
    assertThat(fused.weights().get("cooperative_degree")).isCloseTo(0.2 / 4, within(1e-15));
    assertThat(fused.weights()).doesNotContainKey("taylor");
    assertThat(fused.weights().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1, within(1e-12));
    for (int i = 0; i < 9; i++) {
      double expected = 0;
      for (SeedFusion.SeedWeight s : SeedFusion.WEIGHTS) {
        expected += s.subWeight() / 4 * raw.get(s.criterion())[i];
      }
      assertThat(fused.score(i)).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void seedRescalesWhenCriteriaAreMissingAndKeepsRatios() {
    Map<String, double[]> raw =
        randomCriteria(5, "weight_l2", "weight_variance", "gradient_magnitude");
    FusedScores fused = new SeedFusion().fuse(CriterionScores.of("l", raw));
    // 0.3/4 : 0.2/4 : 0.4/4, rescaled to sum 1
    assertThat(fused.weights().get("weight_l2")).isCloseTo(0.3 / 0.9, within(1e-12));
    assertThat(fused.weights().get("weight_variance")).isCloseTo(0.2 / 0.9, within(1e-12));
    assertThat(fused.weights().get("gradient_magnitude")).isCloseTo(0.4 / 0.9, within(1e-12));
  }

  @Test
  void seedRefusesWhenNoneOfItsCriteriaArePresent() {
    assertThatThrownBy(
            () -> new SeedFusion().fuse(CriterionScores.of("l7", randomCriteria(3, "taylor"))))
        .hasMessageContaining("l7")
        .hasMessageContaining("seed");
  }
}
