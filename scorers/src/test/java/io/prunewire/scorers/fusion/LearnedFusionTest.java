package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedFusionTest {

  private static final List<String> NAMES = List.of("c0", "c1", "c2", "c3", "c4");
  private static final double[] PLANTED = {0.8, 0.0, 0.5, 0.2, 0.0};
  private static final double NOISE = 0.02;

  private final Random random = new Random(13);
  private final LearnedFusion.Config config = LearnedFusion.Config.builder().build();

  private CriterionScores layer(int neurons) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String n : NAMES) {
      m.put(n, random.doubles(neurons).toArray());
    }
    return CriterionScores.of("l", m);
  }

  private double plantedDelta(CriterionScores layer, int[] group) {
    double y = 0;
    for (int i : group) {
      for (int c = 0; c < NAMES.size(); c++) {
        y += PLANTED[c] * layer.view(NAMES.get(c))[i];
      }
    }
    return y + NOISE * Math.sqrt(group.length) * random.nextGaussian();
  }

  private int[] randomGroup(int neurons, int size) {
    return random.ints(0, neurons).distinct().limit(size).toArray();
  }

  @Test
  void featuresOfARemovalSpanningLayersAreThePerLayerSumsAddedUp() {
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    CriterionScores a = layer(6);
    CriterionScores b = layer(4);
    Map<String, int[]> removed = new LinkedHashMap<>();
    removed.put("a", new int[] {0, 5});
    removed.put("b", new int[] {3});
    double[] both = f.features(removed, name -> name.equals("a") ? a : b);
    for (int c = 0; c < NAMES.size(); c++) {
      double expected = a.view(NAMES.get(c))[0] + a.view(NAMES.get(c))[5] + b.view(NAMES.get(c))[3];
      org.assertj.core.api.Assertions.assertThat(both[c])
          .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
    }
  }

  @Test
  void recoversPlantedWeightsFromSingleNeuronAblations() {
    CriterionScores layer = layer(400);
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    for (int m = 0; m < 1000; m++) {
      int i = random.nextInt(400);
      f.observeNeuron(layer, i, plantedDelta(layer, new int[] {i}));
    }
    // statistical error of each weight ≈ NOISE / sqrt(800 · var(U[0,1])) ≈ 0.0025; 0.02 is 8σ
    assertThat(f.weights()).containsExactly(PLANTED, within(0.02));
    assertThat(f.trainingCount()).isEqualTo(800);
  }

  @Test
  void heldOutSpearmanBeatsEverySingleCriterion() {
    CriterionScores layer = layer(400);
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    for (int m = 0; m < 1000; m++) {
      int i = random.nextInt(400);
      f.observeNeuron(layer, i, plantedDelta(layer, new int[] {i}));
    }
    double fused = f.heldOutSpearman().orElseThrow();
    for (String c : NAMES) {
      assertThat(fused).as("fused vs %s", c).isGreaterThan(f.heldOutSpearman(c).orElseThrow());
    }
    assertThat(fused).isGreaterThan(0.9);
  }

  @Test
  void learnsFromGroupAblationsAlone() {
    CriterionScores layer = layer(400);
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    for (int m = 0; m < 1000; m++) {
      int[] group = randomGroup(400, 2 + random.nextInt(30));
      f.observeGroup(layer, group, plantedDelta(layer, group));
    }
    assertThat(f.weights()).containsExactly(PLANTED, within(0.02));
    // the fused score of a held-out group is the sum of its neurons' fused scores: it predicts
    // Δloss
    FusedScores fused = f.fuse(layer);
    int[] group = randomGroup(400, 25);
    double predicted = 0;
    for (int i : group) {
      predicted += fused.score(i);
    }
    double expected = 0;
    for (int i : group) {
      for (int c = 0; c < NAMES.size(); c++) {
        expected += PLANTED[c] * layer.view(NAMES.get(c))[i];
      }
    }
    assertThat(predicted).isCloseTo(expected, within(0.02 * 25));
  }

  @Test
  void weightsSatisfyTheNonNegativeRidgeOptimalityConditions() {
    LearnedFusion f =
        LearnedFusion.create(LearnedFusion.Config.builder().ridge(0.01).build(), NAMES);
    double[] mixedSigns = {0.6, -0.7, 0.3, -0.1, 0.9};
    double[][] rows = new double[600][];
    double[] ys = new double[600];
    for (int m = 0; m < 600; m++) {
      double[] x = random.doubles(5).toArray();
      double y = 0.05 * random.nextGaussian();
      for (int c = 0; c < 5; c++) {
        y += mixedSigns[c] * x[c];
      }
      rows[m] = x;
      ys[m] = y;
      f.observe(x, y);
    }
    // brute-force KKT check of min_{w≥0} ‖Xw − y‖² + λ'‖w‖² over the training rows (not every 5th)
    double[] w = f.weights();
    double[][] a = new double[5][5];
    double[] b = new double[5];
    double trace = 0;
    for (int m = 0; m < 600; m++) {
      if ((m + 1) % 5 == 0) {
        continue;
      }
      for (int j = 0; j < 5; j++) {
        b[j] += rows[m][j] * ys[m];
        for (int k = 0; k < 5; k++) {
          a[j][k] += rows[m][j] * rows[m][k];
        }
        trace += rows[m][j] * rows[m][j];
      }
    }
    double ridge = 0.01 * trace / 5;
    for (int j = 0; j < 5; j++) {
      double gradient = -b[j] + ridge * w[j];
      for (int k = 0; k < 5; k++) {
        gradient += a[j][k] * w[k];
      }
      assertThat(w[j]).isGreaterThanOrEqualTo(0);
      if (w[j] > 0) {
        assertThat(gradient)
            .as("gradient of active weight %d", j)
            .isCloseTo(0, within(1e-8 * trace));
      } else {
        assertThat(gradient)
            .as("gradient of clipped weight %d", j)
            .isGreaterThanOrEqualTo(-1e-8 * trace);
      }
    }
    assertThat(w[1]).isZero();
  }

  @Test
  void aCriterionThatIsAlwaysZeroGetsWeightZeroEvenWithoutRidge() {
    LearnedFusion f =
        LearnedFusion.create(LearnedFusion.Config.builder().ridge(0).build(), List.of("a", "zero"));
    for (int m = 0; m < 20; m++) {
      double a = random.nextDouble();
      f.observe(new double[] {a, 0}, 2 * a);
    }
    assertThat(f.weights()).containsExactly(new double[] {2, 0}, within(1e-9));
  }

  @Test
  void equalWeightsBeforeAnyMeasurement() {
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    assertThat(f.weights()).containsOnly(0.2);
    assertThat(f.heldOutSpearman()).isEmpty();
  }

  @Test
  void mergingTwoHalvesEqualsObservingTheWhole() {
    CriterionScores layer = layer(100);
    LearnedFusion whole = LearnedFusion.create(config, NAMES);
    LearnedFusion first = LearnedFusion.create(config, NAMES);
    LearnedFusion second = LearnedFusion.create(config, NAMES);
    for (int m = 0; m < 500; m++) {
      int[] group = randomGroup(100, 1 + random.nextInt(5));
      double y = plantedDelta(layer, group);
      whole.observeGroup(layer, group, y);
      (m < 250 ? first : second).observeGroup(layer, group, y);
    }
    first.merge(second);
    LearnedFusion.State a = first.state();
    LearnedFusion.State b = whole.state();
    assertThat(a.trained()).isEqualTo(b.trained());
    assertThat(a.measurements()).isEqualTo(b.measurements());
    for (int j = 0; j < a.gram().length; j++) {
      assertThat(a.gram()[j]).isCloseTo(b.gram()[j], within(1e-9 * Math.abs(b.gram()[j])));
    }
    assertThat(a.heldOutTargets()).containsExactly(b.heldOutTargets());
    assertThat(first.weights()).containsExactly(whole.weights(), within(1e-9));
  }

  @Test
  void stateRoundTripContinuesIdentically() {
    CriterionScores layer = layer(50);
    LearnedFusion.Config small = LearnedFusion.Config.builder().heldOutCapacity(7).build();
    LearnedFusion f = LearnedFusion.create(small, NAMES);
    for (int m = 0; m < 60; m++) {
      int i = random.nextInt(50);
      f.observeNeuron(layer, i, plantedDelta(layer, new int[] {i}));
    }
    LearnedFusion restored = LearnedFusion.restore(small, f.state());
    for (int m = 0; m < 12; m++) {
      int i = random.nextInt(50);
      double y = plantedDelta(layer, new int[] {i});
      f.observeNeuron(layer, i, y);
      restored.observeNeuron(layer, i, y);
    }
    assertThat(restored.weights()).containsExactly(f.weights(), within(1e-12));
    assertThat(restored.state().heldOutTargets()).containsExactly(f.state().heldOutTargets());
    assertThat(restored.heldOutSpearman()).isEqualTo(f.heldOutSpearman());
  }

  @Test
  void rejectsBadMeasurements() {
    CriterionScores layer = layer(10);
    LearnedFusion f = LearnedFusion.create(config, NAMES);
    assertThatThrownBy(() -> f.observeNeuron(layer, 3, Double.NaN)).hasMessageContaining("Δloss");
    assertThatThrownBy(() -> f.observeNeuron(layer, 10, 0.1)).hasMessageContaining("neuron 10");
    assertThatThrownBy(() -> f.observeGroup(layer, new int[] {2, 2}, 0.1))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> f.observeGroup(layer, new int[0], 0.1)).hasMessageContaining("empty");
    assertThatThrownBy(() -> f.observe(new double[4], 0.1)).hasMessageContaining("expected 5");
    assertThatThrownBy(() -> f.fuse(CriterionScores.of("l9", Map.of("c0", new double[2]))))
        .hasMessageContaining("l9")
        .hasMessageContaining("c1");
    assertThatThrownBy(() -> LearnedFusion.create(config, List.of("a", "a")))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> LearnedFusion.Config.builder().ridge(-1).build())
        .hasMessageContaining("ridge");
  }
}
