package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.stats.LayerEvidence;
import org.junit.jupiter.api.Test;

class RegistryCriteriaTest {

  private final RegistryCriteria criteria = new RegistryCriteria(Normalizers.byName("rank"));

  @Test
  void fusesEveryRegistryCriterionButRandom() {
    assertThat(criteria.names())
        .contains(LayerCriteria.HAP)
        .doesNotContain("random")
        .hasSize(Criteria.defaults().names().size() - 1);
  }

  @Test
  void availableCriteriaAreRankNormalisedAndMissingOnesCarryNoInformation() {
    SimulatedTrainer t = new SimulatedTrainer("r", "t", 1, 7);
    LayerSpec spec = t.layers.get(1);
    LayerEvidence e = new LayerEvidence(spec.name(), spec.neurons());
    for (Event ev : t.summaries(10)) {
      if (ev instanceof ActivationSummaryEvent a && a.layer().equals(spec.name())) {
        e.merge(a.summary());
      }
    }
    CriterionScores s = criteria.score(spec, e);
    assertThat(s.names()).isEqualTo(criteria.names());
    double[] raw = Criteria.defaults().get("activation_magnitude").score(e);
    double[] ranked = s.scores("activation_magnitude");
    for (int i = 0; i < raw.length; i++) {
      for (int j = 0; j < raw.length; j++) {
        if (raw[i] < raw[j]) {
          assertThat(ranked[i]).isLessThan(ranked[j]);
        }
      }
    }
    for (double v : ranked) {
      assertThat(v).isBetween(0.0, 1.0);
    }
    assertThat(s.scores(LayerCriteria.HAP)).containsOnly(RegistryCriteria.NO_INFORMATION);
    assertThat(s.scores("taylor")).containsOnly(RegistryCriteria.NO_INFORMATION);
  }
}
