package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.internal.IndexSort;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FusionGuardTest {

  private static final List<String> NAMES = List.of("a", "b", "c");
  private final Random random = new Random(3);

  private CriterionScores layer(String name, int neurons) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String n : NAMES) {
      m.put(n, random.doubles(neurons).toArray());
    }
    return CriterionScores.of(name, m);
  }

  private static boolean[] all(int n) {
    boolean[] a = new boolean[n];
    Arrays.fill(a, true);
    return a;
  }

  /**
   * The case of issue 12: the first ablations all lowered the loss, the non-negative fit set every
   * weight to 0, every fused score was 0 and the layer was pruned in index order.
   */
  @Test
  void negativeEarlyAblationsCollapseTheLearnedWeightsAndTheGuardFallsBackToTheBestEvidence() {
    CriterionScores l = layer("lstm1", 40);
    LearnedFusion learned = LearnedFusion.create(LearnedFusion.Config.builder().build(), NAMES);
    for (int k = 0; k < 26; k++) {
      learned.observeNeuron(l, k, -0.001 - 0.0001 * k);
    }
    FusedScores fused = learned.fuse(l);
    assertThat(learned.weights()).containsOnly(0.0);
    assertThat(fused.scores()).containsOnly(0.0);

    FusionGuard.Guarded g =
        FusionGuard.guard(
            fused,
            l,
            all(40),
            List.of(
                new FusionGuard.Ranked("b", "outcome regret -0.01 over 2 rounds"),
                new FusionGuard.Ranked("a", "prior")));

    assertThat(g.fallback()).contains(FusionGuard.Fallback.ZERO_WEIGHTS);
    assertThat(g.criterion().map(FusionGuard.Ranked::criterion)).contains("b");
    assertThat(IndexSort.ascending(g.scores())).containsExactly(IndexSort.ascending(l.scores("b")));
    assertThat(g.describe())
        .contains("zero_weights")
        .contains("criterion b")
        .contains("outcome regret");
  }

  @Test
  void constantFusedScoresWithNonZeroWeightsFallBackAndSkipConstantCriteria() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("flat", new double[] {0.5, 0.5, 0.5, 0.5});
    m.put("good", new double[] {0.4, 0.1, 0.9, 0.2});
    CriterionScores l = CriterionScores.of("h", m);
    FusedScores fused = new SingleCriterion("flat").fuse(l);

    FusionGuard.Guarded g =
        FusionGuard.guard(
            fused,
            l,
            all(4),
            List.of(new FusionGuard.Ranked("flat", "x"), new FusionGuard.Ranked("good", "y")));

    assertThat(g.fallback()).contains(FusionGuard.Fallback.CONSTANT_SCORES);
    assertThat(g.criterion().map(FusionGuard.Ranked::criterion)).contains("good");
    assertThat(IndexSort.ascending(g.scores())).containsExactly(1, 3, 0, 2);
  }

  @Test
  void tiesAreOrderedByTheEvidenceCriterionThenAHashNeverByIndexAlone() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("coarse", new double[] {0, 0, 0, 1, 1, 1});
    m.put("fine", new double[] {0.9, 0.1, 0.5, 0.3, 0.3, 0.3});
    CriterionScores l = CriterionScores.of("h", m);
    FusedScores fused = new SingleCriterion("coarse").fuse(l);

    FusionGuard.Guarded g =
        FusionGuard.guard(fused, l, all(6), List.of(new FusionGuard.Ranked("fine", "y")));

    assertThat(g.fallback()).isEmpty();
    assertThat(g.tied()).isEqualTo(6);
    int[] order = IndexSort.ascending(g.scores());
    assertThat(Arrays.copyOf(order, 3)).containsExactly(1, 2, 0);
    // the distinct scores keep their order: every "coarse 0" neuron ranks below every "coarse 1"
    assertThat(Arrays.copyOfRange(order, 3, 6)).containsExactlyInAnyOrder(3, 4, 5);
    // 3, 4, 5 tie in both: their order comes from the hash of (layer, neuron), which differs by
    // layer
    int[] other =
        IndexSort.ascending(
            FusionGuard.guard(
                    new SingleCriterion("coarse").fuse(CriterionScores.of("other", m)),
                    CriterionScores.of("other", m),
                    all(6),
                    List.of(new FusionGuard.Ranked("fine", "y")))
                .scores());
    assertThat(g.describe()).contains("criterion fine, then hash(layer, neuron)");
    assertThat(List.of(Arrays.copyOfRange(order, 3, 6), Arrays.copyOfRange(other, 3, 6)))
        .as("the hash order is not the index order in at least one layer")
        .anySatisfy(tail -> assertThat(tail).isNotEqualTo(new int[] {3, 4, 5}));
  }

  @Test
  void distinctFusedScoresPassUnchanged() {
    CriterionScores l = layer("h", 30);
    FusedScores fused = new SimpleFusion().fuse(l);

    FusionGuard.Guarded g = FusionGuard.guard(fused, l, all(30), List.of());

    assertThat(g.scores()).containsExactly(fused.scores());
    assertThat(g.describe()).isEmpty();
  }
}
