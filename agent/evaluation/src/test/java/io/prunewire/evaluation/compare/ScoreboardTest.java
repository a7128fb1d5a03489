package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.bench.SyntheticLayer;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreboardTest {

  private static final int N = 24;
  private final List<LayerSpec> specs =
      List.of(
          new LayerSpec("h1.rnn", LayerKind.RNN, N, 16, "test"),
          new LayerSpec("h1.snn", LayerKind.SNN, N, 16, "test"));

  private TelemetryPass.Telemetry telemetry() {
    Map<String, LayerEvidence> evidence = new LinkedHashMap<>();
    long seed = 5;
    for (LayerSpec l : specs) {
      evidence.put(l.name(), new SyntheticLayer(N, seed++).evidence(l.name(), 16, 16));
    }
    Map<String, LayerEvidence> early = new LinkedHashMap<>();
    evidence.forEach((k, v) -> early.put(k, v.copy()));
    return new TelemetryPass.Telemetry(9, specs, evidence, List.of(early), new double[] {1});
  }

  private GroundTruth truth(double bump, int bumped) {
    SplittableRandom r = new SplittableRandom(11);
    Map<String, double[]> singles = new LinkedHashMap<>();
    Map<String, int[]> folds = new LinkedHashMap<>();
    for (LayerSpec l : specs) {
      double[] d = new double[N];
      int[] f = new int[N];
      for (int i = 0; i < N; i++) {
        d[i] = r.nextDouble() * 0.01;
        f[i] = i % 2;
      }
      singles.put(l.name(), d);
      folds.put(l.name(), f);
    }
    singles.get("h1.rnn")[bumped] += bump;
    List<GroundTruth.Group> groups = new ArrayList<>();
    groups.add(new GroundTruth.Group(0, List.of(new int[] {0, 0}, new int[] {1, 2}), 0.02));
    groups.add(new GroundTruth.Group(1, List.of(new int[] {0, 1}, new int[] {1, 3}), 0.03));
    return new GroundTruth(singles, folds, groups, 5.0, 875, 1.0, false);
  }

  private Scoreboard board(
      GroundTruth truth, java.util.function.ToDoubleFunction<Map<String, double[]>> damage) {
    return new Scoreboard(telemetry(), truth, Normalizers.byName("rank"), damage);
  }

  /**
   * What removing the lower half of each layer by {@code scores} costs when neuron i costs {@code
   * cost[i]}.
   */
  private double lowerHalfCost(Map<String, double[]> scores, Map<String, double[]> cost) {
    double total = 0;
    for (LayerSpec l : specs) {
      double[] s = scores.get(l.name());
      Integer[] order = new Integer[s.length];
      for (int i = 0; i < s.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
      for (int k = 0; k < s.length / 2; k++) {
        total += cost.get(l.name())[order[k]];
      }
    }
    return total;
  }

  @Test
  void theProbedFusionFindsTheCriterionThatTheRemovalDamageFollows() {
    // Removal damage follows activation_frequency: no fused score can remove a cheaper lower half.
    Map<String, double[]> cost =
        named(board(truth(0, 0), scores -> 0.0).all(), "activation_frequency").normalised();
    List<Scoreboard.Scorer> all = board(truth(0, 0), scores -> lowerHalfCost(scores, cost)).all();
    Scoreboard.Scorer probed = named(all, "probed");
    double best = lowerHalfCost(cost, cost);
    assertThat(lowerHalfCost(probed.normalised(), cost)).isEqualTo(best);
    for (Scoreboard.Scorer s : all) {
      assertThat(lowerHalfCost(s.normalised(), cost)).as(s.name()).isGreaterThanOrEqualTo(best);
    }
    assertThat(probed.family()).contains("chosen by").contains("held-out removals");
  }

  private static Scoreboard.Scorer named(List<Scoreboard.Scorer> all, String name) {
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyCriterionThenTheSixFusionsThenTheOracle() {
    List<Scoreboard.Scorer> all = board(truth(0, 0), scores -> 0.0).all();
    List<String> names = all.stream().map(Scoreboard.Scorer::name).toList();
    List<String> expected = new ArrayList<>(Criteria.defaults().names());
    expected.addAll(
        List.of("simple", "seed", "adaptive", "learned", "probed", "outcome", "oracle"));
    assertThat(names)
        .containsExactlyElementsOf(expected)
        .containsExactlyElementsOf(Scoreboard.names());
    for (Scoreboard.Scorer s : all) {
      for (LayerSpec l : specs) {
        assertThat(s.normalised().get(l.name())).hasSize(N);
        assertThat(java.util.Arrays.stream(s.normalised().get(l.name())).allMatch(Double::isFinite))
            .isTrue();
      }
    }
    GroundTruth t = truth(0, 0);
    for (LayerSpec l : specs) {
      assertThat(named(all, "oracle").raw().get(l.name())).containsExactly(t.singles.get(l.name()));
    }
  }

  @Test
  void theLearnedFusionNeverScoresANeuronWithAFitThatSawItsAblation() {
    // Neuron 4 of h1.rnn is in fold 0: its score comes from fold 1's fit and must not move when
    // only
    // its own ablation changes; fold 0's fit (which scores fold 1) does see the change.
    Scoreboard.Scorer before = named(board(truth(0, 4), scores -> 0.0).all(), "learned");
    Scoreboard.Scorer after = named(board(truth(5.0, 4), scores -> 0.0).all(), "learned");
    double[] b = before.normalised().get("h1.rnn");
    double[] a = after.normalised().get("h1.rnn");
    for (int i = 0; i < N; i += 2) {
      assertThat(a[i]).as("fold-0 neuron %d", i).isEqualTo(b[i]);
    }
    boolean foldOneMoved = false;
    for (int i = 1; i < N; i += 2) {
      foldOneMoved |= a[i] != b[i];
    }
    assertThat(foldOneMoved).as("fold 1 is scored by the fit that saw the change").isTrue();
  }

  @Test
  void progressiveStagesGrowAndEndWithEveryFusedCriterion() {
    List<List<String>> stages =
        Scoreboard.STAGES.stream().map(s -> Scoreboard.criteriaOf(s.sources())).toList();
    for (int i = 1; i < stages.size(); i++) {
      assertThat(stages.get(i))
          .containsAll(stages.get(i - 1))
          .hasSizeGreaterThan(stages.get(i - 1).size());
    }
    List<String> all = new ArrayList<>(Criteria.defaults().names());
    all.remove("random");
    assertThat(stages.get(stages.size() - 1)).containsExactlyElementsOf(all);
    assertThat(stages.get(0))
        .contains("weight_l2", "magnitude")
        .doesNotContain("hap", "activation_frequency");
    assertThat(board(truth(0, 0), scores -> 0.0).progressive())
        .hasSize(2 * Scoreboard.STAGES.size());
  }
}
