package io.prunewire.scorers.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriteriaRegistryTest {
  private final Criteria criteria = Criteria.defaults();

  @Test
  void registryListsEveryCriterionOnceWithFormulaAndFamily() {
    assertThat(criteria.names())
        .doesNotHaveDuplicates()
        .hasSize(27)
        .contains(
            "hap",
            "weight_nonzero_ratio",
            "cooperative_cooperation",
            "fisher",
            "taylor",
            "obd",
            "magnitude",
            "random",
            "hutchinson_trace");
    for (Criterion c : criteria.all()) {
      assertThat(c.formula()).as(c.name()).isNotBlank();
      assertThat(criteria.get(c.name())).isSameAs(c);
    }
    for (Family family : Family.values()) {
      assertThat(criteria.family(family)).as(family.name()).isNotEmpty();
    }
    assertThatThrownBy(() -> criteria.get("l2"))
        .hasMessageContaining("unknown criterion 'l2'")
        .hasMessageContaining("weight_l2");
  }

  @Test
  void everyCriterionScoresTheFullFixtureWithFiniteValues() {
    LayerEvidence evidence = Fixture.full();
    Map<String, double[]> scores = criteria.scoreAvailable(evidence);
    assertThat(scores.keySet()).containsExactlyElementsOf(criteria.names());
    scores.forEach(
        (name, s) -> {
          assertThat(s).as(name).hasSize(Fixture.N);
          for (double x : s) {
            assertThat(Double.isFinite(x)).as(name).isTrue();
          }
        });
  }

  @Test
  void missingEvidenceIsReportedNamingCriterionAndLayer() {
    LayerEvidence evidence = new LayerEvidence("hybrid2.rnn", 3);
    CurvatureSummary curvature = CurvatureSummary.empty(3);
    curvature.addProbe(new double[] {1, 2, 3});
    evidence.merge(curvature);
    Criterion hap = criteria.get("hap");
    assertThat(hap.available(evidence)).isFalse();
    assertThat(criteria.get("hutchinson_trace").available(evidence)).isTrue();
    assertThatThrownBy(() -> hap.score(evidence))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("criterion hap on layer hybrid2.rnn: no weight statistics yet");
    GradientSummary gradient = GradientSummary.empty(3);
    gradient.addRows(new double[] {1, 2, 3});
    evidence.merge(gradient);
    assertThatThrownBy(() -> criteria.get("fisher").score(evidence))
        .hasMessageContaining("no gate-gradient samples yet");
    assertThat(criteria.get("gradient_snr").available(evidence)).isTrue();
    assertThat(criteria.scoreAvailable(evidence).keySet())
        .containsExactly(
            "gradient_magnitude",
            "gradient_stability",
            "gradient_snr",
            "gradient_sign_consistency",
            "hutchinson_trace",
            "random");
    assertThatThrownBy(
            () -> criteria.get("activation_entropy").score(new LayerEvidence("empty", 2)))
        .hasMessageContaining("activation_entropy")
        .hasMessageContaining("empty")
        .hasMessageContaining("no activation samples yet");
  }

  @Test
  void randomIsReproduciblePerSeedAndLayerAndUniform() {
    double[] a = new RandomScore(3).score(new LayerEvidence("a", 2000));
    double[] again = new RandomScore(3).score(new LayerEvidence("a", 2000));
    double[] otherLayer = new RandomScore(3).score(new LayerEvidence("b", 2000));
    double[] otherSeed = new RandomScore(4).score(new LayerEvidence("a", 2000));
    assertThat(again).containsExactly(a);
    assertThat(otherLayer).isNotEqualTo(a);
    assertThat(otherSeed).isNotEqualTo(a);
    double mean = 0;
    for (double x : a) {
      assertThat(x).isBetween(0.0, 1.0);
      mean += x / a.length;
    }
    // mean of 2000 U[0,1): standard error 0.0065, so 5 standard errors
    assertThat(mean).isBetween(0.5 - 0.033, 0.5 + 0.033);
    assertThat(
            Criteria.builder()
                .randomSeed(3)
                .build()
                .get("random")
                .score(new LayerEvidence("a", 2000)))
        .containsExactly(a);
  }
}
