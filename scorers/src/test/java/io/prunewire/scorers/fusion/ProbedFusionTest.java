package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbedFusionTest {

  @Test
  void fusesTheEqualWeightMeanOfTheChosenCriteria() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("a", new double[] {0.0, 1.0, 0.4});
    m.put("b", new double[] {1.0, 0.0, 0.2});
    m.put("c", new double[] {0.5, 0.5, 0.9});
    FusedScores f = new ProbedFusion(List.of("a", "c")).fuse(CriterionScores.of("h1.rnn", m));
    assertThat(f.scores()).containsExactly(0.25, 0.75, 0.65);
    assertThat(f.weights()).containsExactly(Map.entry("a", 0.5), Map.entry("c", 0.5));
    assertThat(f.strategy()).isEqualTo("probed");
  }

  @Test
  void badSubsetsAreNamed() {
    Map<String, double[]> m = Map.of("a", new double[] {0.1, 0.2});
    assertThatThrownBy(
            () -> new ProbedFusion(List.of("a", "taylor")).fuse(CriterionScores.of("h2.snn", m)))
        .hasMessageContaining("taylor")
        .hasMessageContaining("h2.snn");
    assertThatThrownBy(() -> new ProbedFusion(List.of())).hasMessageContaining("no criteria");
    assertThatThrownBy(() -> new ProbedFusion(List.of("a", "a"))).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> ProbedFusion.Config.builder().maxCriteria(0).build())
        .hasMessageContaining("maxCriteria");
  }

  /** A scripted objective: the search must follow forward selection exactly. */
  @Test
  void forwardSelectionAddsTheBestShortlistedCriterionWhileItHelps() {
    Map<Set<String>, Double> value = new java.util.HashMap<>();
    value.put(Set.of("a"), 3.0);
    value.put(Set.of("b"), 1.0);
    value.put(Set.of("c"), 2.0);
    value.put(Set.of("d"), 9.0); // outside a shortlist of 3
    value.put(Set.of("b", "a"), 0.8);
    value.put(Set.of("b", "c"), 0.5);
    value.put(Set.of("b", "c", "a"), 0.6); // no improvement: the search stops at {b, c}
    List<Set<String>> asked = new ArrayList<>();
    ProbedFusion.Search s =
        ProbedFusion.search(
            List.of("a", "b", "c", "d"),
            candidate -> {
              Set<String> key = new HashSet<>(((ProbedFusion) candidate).chosen());
              asked.add(key);
              return value.get(key);
            },
            ProbedFusion.Config.builder().shortlist(3).maxCriteria(4).build());

    assertThat(s.fusion().chosen()).containsExactly("b", "c");
    assertThat(s.deltaLoss()).isEqualTo(0.5);
    // singles in the callers' order, then additions in shortlist order (b, c, a by their singles)
    assertThat(asked)
        .containsExactly(
            Set.of("a"),
            Set.of("b"),
            Set.of("c"),
            Set.of("d"),
            Set.of("b", "c"),
            Set.of("b", "a"),
            Set.of("b", "c", "a"));
    assertThat(s.trials()).hasSize(asked.size());
  }

  @Test
  void theSubsetNeverExceedsMaxCriteria() {
    // Every addition helps (more criteria, lower value): the cap alone stops the search.
    ProbedFusion.Search s =
        ProbedFusion.search(
            List.of("a", "b", "c", "d", "e"),
            candidate -> -((ProbedFusion) candidate).chosen().size(),
            ProbedFusion.Config.builder().maxCriteria(3).build());
    assertThat(s.fusion().chosen()).hasSize(3);
    assertThat(s.deltaLoss()).isEqualTo(-3.0);
  }

  /**
   * A synthetic layer where removing neuron i costs t[i]: two criteria see t through independent
   * noise, one is noise, one is inverted. The search must pick both informative criteria (their
   * mean halves the noise) and never the others.
   */
  @Test
  void findsTheInformativeCriteriaOfASyntheticLayer() {
    int n = 400;
    Random rnd = new Random(7);
    double[] t = new double[n];
    double[] good1 = new double[n];
    double[] good2 = new double[n];
    double[] noise = new double[n];
    double[] inverted = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = rnd.nextDouble();
      good1[i] = t[i] + 0.5 * rnd.nextGaussian();
      good2[i] = t[i] + 0.5 * rnd.nextGaussian();
      noise[i] = rnd.nextGaussian();
      inverted[i] = -t[i];
    }
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("noise", noise);
    m.put("good1", good1);
    m.put("inverted", inverted);
    m.put("good2", good2);
    CriterionScores layer = CriterionScores.of("h1.rnn", m);
    ProbedFusion.RemovalProbe costOfPruningHalf =
        candidate -> {
          double[] fused = candidate.fuse(layer).scores();
          Integer[] order = new Integer[n];
          for (int i = 0; i < n; i++) {
            order[i] = i;
          }
          Arrays.sort(order, (x, y) -> Double.compare(fused[x], fused[y]));
          double cost = 0;
          for (int k = 0; k < n / 2; k++) {
            cost += t[order[k]];
          }
          return cost;
        };

    ProbedFusion.Search s =
        ProbedFusion.search(
            List.copyOf(m.keySet()), costOfPruningHalf, ProbedFusion.Config.builder().build());

    assertThat(s.fusion().chosen()).containsExactlyInAnyOrder("good1", "good2");
    assertThat(s.deltaLoss())
        .isLessThan(costOfPruningHalf.deltaLoss(new SingleCriterion("good1")))
        .isLessThan(costOfPruningHalf.deltaLoss(new SingleCriterion("good2")));
  }
}
