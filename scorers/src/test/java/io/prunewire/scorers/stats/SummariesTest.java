package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SummariesTest {
  private static final int N = 6;

  @Test
  void activationSummaryFeedsEveryPartFromOneBatch() {
    double[] rows = Data.rows(new Random(1), 30, N, 0.2, 0.5);
    ActivationSummary summary =
        ActivationSummary.empty(N, ActivationSummary.Spec.DEFAULT.withAnchors(N, 3));
    summary.addRows(rows);
    for (int i = 0; i < N; i++) {
      double meanAbs = 0;
      long nonZero = 0;
      for (int r = 0; r < 30; r++) {
        meanAbs += Math.abs(rows[r * N + i]) / 30;
        nonZero += rows[r * N + i] != 0 ? 1 : 0;
      }
      assertThat(summary.value().mean(i)).isCloseTo(Data.mean(rows, N, i), within(1e-12));
      assertThat(summary.magnitude().mean(i)).isCloseTo(meanAbs, within(1e-12));
      assertThat(summary.nonZero().count(i)).isEqualTo(nonZero);
      assertThat(summary.coActivation().correlation(i, 0))
          .isCloseTo(Data.pearson(rows, N, i, 0), within(1e-12));
    }
    assertThat(summary.histogram().total()).isEqualTo(30);
    assertThat(summary.coActivation().anchorCount()).isEqualTo(N);
  }

  @Test
  void activationSummaryCapsAnchorsAtTheLayerSize() {
    ActivationSummary summary = ActivationSummary.empty(3, ActivationSummary.Spec.DEFAULT);
    assertThat(summary.coActivation().anchorCount()).isEqualTo(3);
  }

  @Test
  void activationSummaryMergeOfFloatHalvesEqualsTheWhole() {
    Random random = new Random(2);
    float[] rows = new float[40 * N];
    for (int j = 0; j < rows.length; j++) {
      rows[j] = random.nextInt(3) == 0 ? 0 : (float) random.nextDouble();
    }
    ActivationSummary.Spec spec = ActivationSummary.Spec.DEFAULT.withAnchors(3, 9);
    ActivationSummary whole = ActivationSummary.empty(N, spec);
    whole.addRows(rows);
    ActivationSummary first = ActivationSummary.empty(N, spec);
    first.addRows(java.util.Arrays.copyOfRange(rows, 0, 17 * N));
    ActivationSummary second = ActivationSummary.empty(N, spec);
    second.addRows(java.util.Arrays.copyOfRange(rows, 17 * N, rows.length));
    second.merge(first);
    assertThat(second.nonZero()).isEqualTo(whole.nonZero());
    assertThat(second.histogram()).isEqualTo(whole.histogram());
    for (int i = 0; i < N; i++) {
      assertThat(Data.close(whole.value().m2(i), second.value().m2(i), 1e-9)).isTrue();
      assertThat(Data.close(whole.magnitude().mean(i), second.magnitude().mean(i), 1e-9)).isTrue();
      assertThat(
              Data.close(
                  whole.coActivation().comoment(i, 1), second.coActivation().comoment(i, 1), 1e-9))
          .isTrue();
    }
  }

  @Test
  void mismatchedSpecsLeaveTheSummaryUnchanged() {
    ActivationSummary summary =
        ActivationSummary.empty(N, ActivationSummary.Spec.DEFAULT.withAnchors(3, 1));
    summary.addRows(Data.rows(new Random(3), 5, N, 0.5, 0.2));
    ActivationSummary before = summary.copy();
    ActivationSummary otherBins =
        ActivationSummary.empty(
            N, ActivationSummary.Spec.DEFAULT.withAnchors(3, 1).withHistogram(0, 2, 20));
    otherBins.addRows(Data.rows(new Random(4), 5, N, 0.5, 0.2));
    assertThatThrownBy(() -> summary.merge(otherBins)).hasMessageContaining("cannot merge bins");
    ActivationSummary otherAnchors =
        ActivationSummary.empty(N, ActivationSummary.Spec.DEFAULT.withAnchors(2, 1));
    otherAnchors.addRows(Data.rows(new Random(5), 5, N, 0.5, 0.2));
    assertThatThrownBy(() -> summary.merge(otherAnchors)).hasMessageContaining("different anchors");
    assertThat(summary).isEqualTo(before);
  }

  @Test
  void gradientSummaryCountsOneSignWindowPerBatchAndGateSamples() {
    GradientSummary summary = GradientSummary.empty(2);
    summary.addRows(new double[] {1, -2, 3, 1}); // window means (2, -0.5)
    summary.addRows(new float[] {-1, -2, -3, 1}); // window means (-2, -0.5)
    summary.addRows(new double[] {4, 0}); // window means (4, 0)
    assertThat(summary.sign().windows()).isEqualTo(3);
    assertThat(summary.sign().positive(0)).isEqualTo(2);
    assertThat(summary.sign().negative(1)).isEqualTo(2);
    assertThat(summary.gradient().count()).isEqualTo(5);
    assertThat(summary.gradient().mean(0)).isCloseTo((1 + 3 - 1 - 3 + 4) / 5.0, within(1e-12));
    assertThat(summary.magnitude().mean(1)).isCloseTo((2 + 1 + 2 + 1 + 0) / 5.0, within(1e-12));
    summary.addGate(new double[] {0.5, -1});
    summary.addGate(new double[] {1.5, 1});
    assertThat(summary.gate().mean(0)).isEqualTo(1.0);
    assertThat(summary.gate().meanSquare(1)).isCloseTo(1.0, within(1e-12));
    GradientSummary copy = summary.copy();
    copy.merge(summary);
    assertThat(copy.sign().windows()).isEqualTo(6);
    assertThat(summary.sign().windows()).isEqualTo(3);
    assertThatThrownBy(() -> summary.addGate(new double[] {Double.NaN, 0}))
        .hasMessageContaining("gate[0]");
  }

  @Test
  void curvatureSummaryAveragesProbes() {
    CurvatureSummary curvature = CurvatureSummary.empty(2);
    curvature.addProbe(new double[] {1, -3});
    curvature.addProbe(new double[] {2, 1});
    assertThat(curvature.vHv().mean(0)).isEqualTo(1.5);
    assertThat(curvature.vHv().mean(1)).isEqualTo(-1.0);
    assertThatThrownBy(() -> curvature.addProbe(new double[] {1}))
        .hasMessageContaining("vHv has length 1");
  }

  @Test
  void summariesRejectPartsOfDifferentSizes() {
    assertThatThrownBy(
            () ->
                new GradientSummary(
                    new Moments(2), new Moments(3), new SignCounts(2), new Moments(2)))
        .hasMessageContaining("magnitude.neurons");
    assertThatThrownBy(
            () ->
                new ActivationSummary(
                    new Moments(2), new Moments(2), new Counts(2), new Histogram(2, 0, 1, 4), null))
        .hasMessageContaining("coActivation");
  }
}
