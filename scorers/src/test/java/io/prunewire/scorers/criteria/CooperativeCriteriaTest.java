package io.prunewire.scorers.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cooperative criteria against an exact correlation matrix computed from the raw activations. */
class CooperativeCriteriaTest {
  private static final int N = 10;
  private static final int ROWS = 120;

  private static double[] activations(Random random) {
    double[] x = new double[ROWS * N];
    for (int r = 0; r < ROWS; r++) {
      double f1 = random.nextGaussian();
      double f2 = random.nextGaussian();
      for (int i = 0; i < N; i++) {
        double v =
            (i % 3 == 0 ? f1 : i % 3 == 1 ? -f2 : f1 + f2) * (1 + i * 0.1)
                + 0.8 * random.nextGaussian();
        x[r * N + i] = i == N - 1 ? 0 : Math.max(0, v); // ReLU-like; the last neuron is dead
      }
    }
    return x;
  }

  private static double pearson(double[] x, int p, int q) {
    double mp = 0;
    double mq = 0;
    for (int r = 0; r < ROWS; r++) {
      mp += x[r * N + p] / ROWS;
      mq += x[r * N + q] / ROWS;
    }
    double spq = 0;
    double spp = 0;
    double sqq = 0;
    for (int r = 0; r < ROWS; r++) {
      spq += (x[r * N + p] - mp) * (x[r * N + q] - mq);
      spp += (x[r * N + p] - mp) * (x[r * N + p] - mp);
      sqq += (x[r * N + q] - mq) * (x[r * N + q] - mq);
    }
    return spp == 0 || sqq == 0 ? 0 : spq / Math.sqrt(spp * sqq);
  }

  private static LayerEvidence evidence(double[] x, int anchors) {
    ActivationSummary summary =
        ActivationSummary.empty(N, ActivationSummary.Spec.DEFAULT.withAnchors(anchors, 5));
    summary.addRows(x);
    LayerEvidence evidence = new LayerEvidence("coop", N);
    evidence.merge(summary);
    return evidence;
  }

  @Test
  void allCooperativeCriteriaMatchTheExactCorrelationMatrix() {
    Random random = new Random(1);
    double[] x = activations(random);
    for (int k : new int[] {N, 4}) {
      LayerEvidence evidence = evidence(x, k);
      var co = evidence.activation().orElseThrow().coActivation();
      double[] strength = new CooperativeStrength().score(evidence);
      double[] uniqueness = new CooperativeUniqueness().score(evidence);
      double[] degree = new CooperativeDegree(0.3).score(evidence);
      double[] cooperation = new CooperativeCooperation().score(evidence);
      for (int i = 0; i < N; i++) {
        double sumAbs = 0;
        double maxAbs = 0;
        int above = 0;
        int partners = 0;
        double weighted = 0;
        double activity = 0;
        for (int a = 0; a < co.anchorCount(); a++) {
          int j = co.anchor(a);
          if (j == i) {
            continue;
          }
          double r = pearson(x, i, j);
          double meanAbs = 0;
          for (int row = 0; row < ROWS; row++) {
            meanAbs += Math.abs(x[row * N + j]) / ROWS;
          }
          partners++;
          sumAbs += Math.abs(r);
          maxAbs = Math.max(maxAbs, Math.abs(r));
          above += Math.abs(r) > 0.3 ? 1 : 0;
          weighted += Math.max(r, 0) * meanAbs;
          activity += meanAbs;
        }
        assertThat(strength[i]).as("k=%d i=%d", k, i).isCloseTo(sumAbs / partners, within(1e-12));
        assertThat(uniqueness[i]).isCloseTo(1 - maxAbs, within(1e-12));
        assertThat(degree[i]).isCloseTo((double) above / partners, within(1e-12));
        assertThat(cooperation[i])
            .isCloseTo(activity == 0 ? 0 : weighted / activity, within(1e-12));
      }
    }
  }

  @Test
  void deadNeuronHasNoCooperation() {
    LayerEvidence evidence = evidence(activations(new Random(2)), N);
    assertThat(new CooperativeStrength().score(evidence)[N - 1]).isZero();
    assertThat(new CooperativeUniqueness().score(evidence)[N - 1]).isEqualTo(1.0);
    assertThat(new CooperativeDegree().score(evidence)[N - 1]).isZero();
    assertThat(new CooperativeCooperation().score(evidence)[N - 1]).isZero();
  }

  @Test
  void aNeuronWithoutPartnersScoresTheDocumentedDefaults() {
    ActivationSummary summary = ActivationSummary.empty(1, ActivationSummary.Spec.DEFAULT);
    summary.addRows(new double[] {0.1, 0.5, 0.9});
    LayerEvidence evidence = new LayerEvidence("single", 1);
    evidence.merge(summary);
    assertThat(new CooperativeStrength().score(evidence)).containsExactly(0.0);
    assertThat(new CooperativeUniqueness().score(evidence)).containsExactly(1.0);
    assertThat(new CooperativeDegree().score(evidence)).containsExactly(0.0);
    assertThat(new CooperativeCooperation().score(evidence)).containsExactly(0.0);
  }

  @Test
  void degreeThresholdIsValidated() {
    assertThatThrownBy(() -> new CooperativeDegree(1.0)).hasMessageContaining("threshold");
    assertThat(new CooperativeDegree(0.2).formula()).contains("0.2");
  }
}
