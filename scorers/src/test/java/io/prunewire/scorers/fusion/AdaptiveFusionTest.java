package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveFusionTest {

  private final Random random = new Random(5);
  private final double[] truth = random.doubles(200).toArray();

  /** A criterion = the truth plus noise of the given size, re-drawn at every update. */
  private CriterionScores observation(double... noise) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (int c = 0; c < noise.length; c++) {
      double[] x = new double[truth.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = truth[i] + noise[c] * random.nextGaussian();
      }
      m.put("c" + c, x);
    }
    return CriterionScores.of("l", m);
  }

  @Test
  void equalWeightsBeforeAnyReliabilityIsMeasured() {
    AdaptiveFusion f = AdaptiveFusion.withSmoothing(0.5);
    CriterionScores s = observation(0.01, 1.0);
    f.update(s);
    assertThat(f.fuse(s).weights()).containsEntry("c0", 0.5).containsEntry("c1", 0.5);
    assertThat(f.reliability("c0")).isNaN();
  }

  @Test
  void reliabilityIsTheSmoothedSpearmanBetweenConsecutiveUpdates() {
    double alpha = 0.3;
    AdaptiveFusion f = AdaptiveFusion.withSmoothing(alpha);
    CriterionScores a = observation(0.1);
    CriterionScores b = observation(0.1);
    CriterionScores c = observation(0.1);
    f.update(a);
    f.update(b);
    double r1 = Spearman.of(a.view("c0"), b.view("c0"));
    assertThat(f.reliability("c0")).isCloseTo(r1, within(1e-15));
    f.update(c);
    double r2 = (1 - alpha) * r1 + alpha * Spearman.of(b.view("c0"), c.view("c0"));
    assertThat(f.reliability("c0")).isCloseTo(r2, within(1e-15));
  }

  @Test
  void stableCriteriaOutweighNoisyOnesAndWeightsAreProportionalToReliability() {
    AdaptiveFusion f = AdaptiveFusion.withSmoothing(0.3);
    CriterionScores last = null;
    for (int t = 0; t < 10; t++) {
      last = observation(0.02, 0.3, 10.0);
      f.update(last);
    }
    FusedScores fused = f.fuse(last);
    assertThat(fused.weights().get("c0")).isGreaterThan(fused.weights().get("c1"));
    assertThat(fused.weights().get("c1")).isGreaterThan(fused.weights().get("c2"));
    double total = 0;
    for (String c : new String[] {"c0", "c1", "c2"}) {
      total += Math.max(0, f.reliability(c));
    }
    assertThat(fused.weights().get("c0"))
        .isCloseTo(Math.max(0, f.reliability("c0")) / total, within(1e-15));
  }

  @Test
  void constantCriterionCountsAsUnreliable() {
    AdaptiveFusion f = AdaptiveFusion.withSmoothing(1.0);
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("flat", new double[] {2, 2, 2});
    m.put("moving", new double[] {1, 2, 3});
    f.update(CriterionScores.of("l", m));
    f.update(CriterionScores.of("l", m));
    assertThat(f.reliability("flat")).isZero();
    assertThat(f.fuse(CriterionScores.of("l", m)).weights())
        .containsEntry("flat", 0.0)
        .containsEntry("moving", 1.0);
  }

  @Test
  void stateRoundTripGivesTheSameFusion() {
    AdaptiveFusion f = AdaptiveFusion.withSmoothing(0.4);
    for (int t = 0; t < 3; t++) {
      f.update(observation(0.05, 0.5));
    }
    AdaptiveFusion restored = AdaptiveFusion.restore(f.state());
    CriterionScores next = observation(0.05, 0.5);
    f.update(next);
    restored.update(next);
    assertThat(restored.fuse(next).scores()).containsExactly(f.fuse(next).scores());
    assertThat(restored.reliability("c1")).isEqualTo(f.reliability("c1"));
  }

  @Test
  void rejectsBadSmoothing() {
    assertThatThrownBy(() -> AdaptiveFusion.withSmoothing(0)).hasMessageContaining("smoothing");
    assertThatThrownBy(() -> AdaptiveFusion.withSmoothing(Double.NaN))
        .hasMessageContaining("smoothing");
  }
}
