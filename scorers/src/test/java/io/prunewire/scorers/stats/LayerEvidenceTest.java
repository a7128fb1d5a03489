package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerEvidenceTest {
  private static WeightStatistics weights(float scale) {
    return WeightStatistics.of(
        new float[] {scale, 2 * scale, 3 * scale, -scale}, 2, 2, new float[] {1, 1, 1, 1}, 2);
  }

  @Test
  void mergesSummariesWithoutAliasingTheCallersInstances() {
    LayerEvidence evidence = new LayerEvidence("l1.snn", 2);
    CurvatureSummary curvature = CurvatureSummary.empty(2);
    curvature.addProbe(new double[] {1, 2});
    evidence.merge(curvature);
    evidence.merge(curvature);
    curvature.addProbe(new double[] {5, 5});
    assertThat(evidence.curvature().orElseThrow().vHv().count()).isEqualTo(2);
    assertThat(evidence.activation()).isEmpty();
    GradientSummary gradient = GradientSummary.empty(2);
    gradient.addRows(new double[] {1, 2});
    evidence.merge(gradient);
    assertThat(evidence.gradient().orElseThrow().gradient().count()).isEqualTo(1);
  }

  @Test
  void latestWeightSnapshotWins() {
    LayerEvidence evidence = new LayerEvidence("l1", 2);
    assertThat(evidence.update(10, weights(1))).isTrue();
    assertThat(evidence.update(5, weights(2))).isFalse();
    assertThat(evidence.update(10, weights(3))).isFalse(); // same step, later in ORDER
    assertThat(evidence.weights().orElseThrow()).isEqualTo(weights(1));
    assertThat(evidence.update(11, weights(4))).isTrue();
    assertThat(evidence.weightsStep()).isEqualTo(11);
    assertThat(evidence.weights().orElseThrow()).isEqualTo(weights(4));
  }

  @Test
  void snapshotsOfTheSameStepResolveIndependentlyOfArrivalOrder() {
    LayerEvidence ab = new LayerEvidence("l1", 2);
    ab.update(4, weights(2));
    ab.update(4, weights(0.5f));
    LayerEvidence ba = new LayerEvidence("l1", 2);
    ba.update(4, weights(0.5f));
    ba.update(4, weights(2));
    assertThat(ab.weights()).isEqualTo(ba.weights());
    assertThat(ab.weights().orElseThrow()).isEqualTo(weights(0.5f));
  }

  @Test
  void copyIsIndependent() {
    LayerEvidence evidence = new LayerEvidence("l1", 2);
    CurvatureSummary curvature = CurvatureSummary.empty(2);
    curvature.addProbe(new double[] {1, 2});
    evidence.merge(curvature);
    LayerEvidence copy = evidence.copy();
    copy.merge(curvature);
    assertThat(evidence.curvature().orElseThrow().vHv().count()).isEqualTo(1);
    assertThat(copy.curvature().orElseThrow().vHv().count()).isEqualTo(2);
    LayerEvidence restored = LayerEvidence.of("l1", 2, null, null, curvature, weights(1), 3);
    assertThat(restored.weightsStep()).isEqualTo(3);
    assertThat(restored.curvature()).isPresent();
  }

  @Test
  void rejectsMismatchedNeuronCountsNamingTheLayer() {
    LayerEvidence evidence = new LayerEvidence("layer2.rnn", 3);
    assertThatThrownBy(() -> evidence.merge(CurvatureSummary.empty(2)))
        .hasMessageContaining("layer2.rnn")
        .hasMessageContaining("2 neurons, layer has 3");
    assertThatThrownBy(() -> evidence.merge((GradientSummary) null))
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> new LayerEvidence(" ", 3)).hasMessageContaining("blank");
    assertThatThrownBy(() -> new LayerEvidence("x", 0)).hasMessageContaining("x");
  }
}
