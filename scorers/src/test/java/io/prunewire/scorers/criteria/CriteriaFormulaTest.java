package io.prunewire.scorers.criteria;

import static io.prunewire.scorers.criteria.Fixture.ACTIVATIONS;
import static io.prunewire.scorers.criteria.Fixture.FAN_IN;
import static io.prunewire.scorers.criteria.Fixture.INCOMING;
import static io.prunewire.scorers.criteria.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.scorers.stats.LayerEvidence;
import org.junit.jupiter.api.Test;

/** Every criterion against its formula evaluated directly on the fixture's raw arrays. */
class CriteriaFormulaTest {
  private static final double EPS = 1e-12;
  private final LayerEvidence evidence = Fixture.full();

  private static double[] w(int i) {
    return Fixture.column(INCOMING, FAN_IN, N, i);
  }

  @Test
  void weightCriteriaOnHandCheckedColumns() {
    // neuron 0: w = (1, 2, 2): mean w² = 3, mean |w| = 5/3, variance = 2/9
    assertThat(new WeightL2().score(evidence)[0]).isCloseTo(3, within(EPS));
    assertThat(new WeightL1().score(evidence)[0]).isCloseTo(5.0 / 3, within(EPS));
    assertThat(new WeightVariance().score(evidence)[0]).isCloseTo(2.0 / 9, within(EPS));
    // neuron 1: w = (0, 0, 3): one of three non-zero, entropy 0
    assertThat(new WeightNonZeroRatio().score(evidence)[1]).isCloseTo(1.0 / 3, within(EPS));
    assertThat(new WeightEntropy().score(evidence)[1]).isCloseTo(0, within(EPS));
    // neuron 2: |w| = (.5, .5, .5): entropy ln 3
    assertThat(new WeightEntropy().score(evidence)[2]).isCloseTo(Math.log(3), within(EPS));
    // outgoing rows: neuron 3 = (-3, 1): mean |w| = 2
    assertThat(new WeightOutgoing().score(evidence))
        .containsExactly(new double[] {1, 1, 0.5, 2}, within(EPS));
    // magnitude = ||w||: neuron 0 = 3
    assertThat(new Magnitude().score(evidence)[0]).isCloseTo(3, within(EPS));
    for (int i = 0; i < N; i++) {
      double[] col = w(i);
      double sq = 0;
      for (double x : col) {
        sq += x * x;
      }
      assertThat(new WeightL2().score(evidence)[i]).isCloseTo(sq / FAN_IN, within(EPS));
      assertThat(new WeightVariance().score(evidence)[i])
          .isCloseTo(Fixture.variance(col), within(EPS));
      assertThat(new Magnitude().score(evidence)[i]).isCloseTo(Math.sqrt(sq), within(EPS));
    }
    assertThat(new WeightEffectiveRank().score(evidence))
        .containsExactly(evidence.weights().orElseThrow().effectiveRankDrop(), within(0.0));
  }

  @Test
  void activationCriteria() {
    double[] frequency = new ActivationFrequency().score(evidence);
    assertThat(frequency).containsExactly(new double[] {4.0 / 6, 0, 1, 1}, within(EPS));
    double[] magnitude = new ActivationMagnitude().score(evidence);
    double[] variance = new ActivationVariance().score(evidence);
    double[] range = new ActivationRange().score(evidence);
    double[] entropy = new ActivationEntropy().score(evidence);
    for (int i = 0; i < N; i++) {
      double[] a = Fixture.neuron(ACTIVATIONS, i);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double meanAbs = 0;
      for (double x : a) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        meanAbs += Math.abs(x) / a.length;
      }
      assertThat(magnitude[i]).isCloseTo(meanAbs, within(EPS));
      assertThat(variance[i]).isCloseTo(Fixture.variance(a), within(EPS));
      assertThat(range[i]).isCloseTo(max - min, within(EPS));
    }
    // bins of width 0.25 on [0, 1]: neuron 0 -> {0: 2, 3: 4}; neuron 1 -> all in bin 0;
    // neuron 2 (.2 .4 .6 .8 .5 .3) -> bins 0,1,2,3,2,1 -> {1, 2, 2, 1}
    assertThat(entropy[0])
        .isCloseTo(-(2 / 6.0 * Math.log(2 / 6.0) + 4 / 6.0 * Math.log(4 / 6.0)), within(EPS));
    assertThat(entropy[1]).isCloseTo(0, within(EPS));
    assertThat(entropy[2])
        .isCloseTo(
            -(2 * (1 / 6.0) * Math.log(1 / 6.0) + 2 * (2 / 6.0) * Math.log(2 / 6.0)), within(EPS));
  }

  @Test
  void gradientCriteria() {
    double[] g0 =
        Fixture.concat(
            Fixture.neuron(Fixture.GRADIENT_WINDOW_1, 0),
            Fixture.neuron(Fixture.GRADIENT_WINDOW_2, 0));
    // neuron 0: g = (0.5, 1.5, 0.5, -0.5): mean 0.5, E|g| = 0.75, std = sqrt(0.5)
    double std = Math.sqrt(Fixture.variance(g0));
    assertThat(std).isCloseTo(Math.sqrt(0.5), within(EPS));
    assertThat(new GradientMagnitude().score(evidence)[0]).isCloseTo(0.75, within(EPS));
    assertThat(new GradientStability().score(evidence)[0])
        .isCloseTo(1 / (1 + std / 0.75), within(EPS));
    assertThat(new GradientSnr().score(evidence)[0]).isCloseTo(0.5 / std, within(EPS));
    // neuron 1 never receives a gradient: stability and SNR are 0
    assertThat(new GradientStability().score(evidence)[1]).isZero();
    assertThat(new GradientSnr().score(evidence)[1]).isZero();
    // neuron 3: g = (2, 2, -2, 2)... window means (2, 0): one positive window of two
    // neuron 2: window means (0, -1): one negative window of two; neuron 0: (1, 0)
    assertThat(new GradientSignConsistency().score(evidence))
        .containsExactly(new double[] {0.5, 0, 0.5, 0.5}, within(EPS));
  }

  @Test
  void gradientSnrOfAConstantNonZeroGradientIsLargeButFinite() {
    LayerEvidence e = new LayerEvidence("l", 1);
    var g = io.prunewire.scorers.stats.GradientSummary.empty(1);
    g.addRows(new double[] {0.25, 0.25, 0.25});
    e.merge(g);
    assertThat(new GradientSnr().score(e)[0]).isCloseTo(1e12, within(1.0));
    assertThat(new GradientStability().score(e)[0]).isEqualTo(1.0);
  }

  @Test
  void secondOrderAndPeerCriteria() {
    // traces: mean of probes = (3, 0.5, -1.5, 1)
    double[] trace = {3, 0.5, -1.5, 1};
    assertThat(new HutchinsonTrace().score(evidence)).containsExactly(trace, within(EPS));
    double[] hap = new Hap().score(evidence);
    double[] obd = new Obd().score(evidence);
    for (int i = 0; i < N; i++) {
      double[] col = w(i);
      double meanSq = 0;
      for (double x : col) {
        meanSq += x * x / col.length;
      }
      assertThat(hap[i]).isCloseTo(trace[i] * meanSq, within(EPS));
      assertThat(obd[i]).isCloseTo(0.5 * trace[i] * meanSq * FAN_IN, within(EPS));
    }
    // neuron 0: trace 3 × mean w² 3 = 9 (HSTNN: trace × ||w||² / numel)
    assertThat(hap[0]).isCloseTo(9, within(EPS));
    assertThat(hap[2]).isNegative();
    // gates: neuron 0 z = (2, 4, 0): E[z²] = 20/3, |E z| = 2; neuron 2 z = (-1, 1, -3): E[z²] =
    // 11/3, |E z| = 1
    assertThat(new Fisher().score(evidence))
        .containsExactly(new double[] {20.0 / 3, 0, 11.0 / 3, 0.25}, within(EPS));
    assertThat(new Taylor().score(evidence))
        .containsExactly(new double[] {2, 0, 1, 0.5}, within(EPS));
  }
}
