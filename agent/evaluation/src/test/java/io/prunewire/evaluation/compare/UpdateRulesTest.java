package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateRulesTest {

  /** A seed whose one-shot part pruned to the given perplexities; {@code null} = not measured. */
  private static SeedHeadline.Result seed(
      long seed, Double outcome, Double best, Double top3, Double probed, double taylor) {
    List<CompareResult.Pruning> pruning = new ArrayList<>();
    add(pruning, "outcome", outcome);
    add(pruning, "outcome_best", best);
    add(pruning, "outcome_top3", top3);
    add(pruning, "probed", probed);
    pruning.add(new CompareResult.Pruning("taylor", "criterion", 0.5, 10, taylor, null));
    pruning.add(
        new CompareResult.Pruning(
            "outcome", "fusion", 0.3, 6, 1.0, null)); // another fraction: ignored
    HeadlineRows.Row row = HeadlineRows.row(seed, "outcome", pruning, List.of());
    CompareResult.Model model =
        new CompareResult.Model("m", 8, 4, 4, 16, 100, 10, 50.0, true, 1.0, "k");
    return new SeedHeadline.Result(
        "id",
        seed,
        row,
        model,
        pruning,
        List.of(),
        Map.of(),
        "o",
        1.0,
        Map.of("outcome", "mean of [taylor, fisher]", "outcome_best", "mean of [fisher]"));
  }

  private static void add(List<CompareResult.Pruning> pruning, String name, Double ppl) {
    if (ppl != null) {
      pruning.add(new CompareResult.Pruning(name, "fusion", 0.5, 10, ppl, null));
    }
  }

  @Test
  void eachRuleIsComparedWithTheAgentsRuleSeedBySeed() {
    UpdateRules r =
        UpdateRules.of(
            List.of(
                seed(1, 100.0, 90.0, 110.0, 95.0, 105.0),
                seed(2, 200.0, 220.0, 190.0, null, 210.0),
                seed(3, 300.0, 240.0, 330.0, 270.0, 310.0)));

    assertThat(r.rules())
        .extracting(UpdateRules.Rule::rule)
        .containsExactly(
            "outcome", "outcome_best", "outcome_top3", "probed", UpdateRules.BEST_SINGLE);
    UpdateRules.Rule best = r.rules().get(1);
    assertThat(best.perplexity()).containsExactly(90.0, 220.0, 240.0);
    assertThat(best.belowAgents()).isEqualTo(2);
    assertThat(best.paired()).isEqualTo(3);
    assertThat(best.ratio()).isCloseTo(0.9, within(1e-12)); // median of 0.9, 1.1, 0.8
    assertThat(best.chosen())
        .containsExactly("mean of [fisher]", "mean of [fisher]", "mean of [fisher]");
    UpdateRules.Rule probed = r.rules().get(3);
    assertThat(probed.perplexity()).containsExactly(95.0, null, 270.0);
    assertThat(probed.paired()).isEqualTo(2);
    assertThat(probed.ratio()).isCloseTo((0.95 + 0.9) / 2, within(1e-12));
    assertThat(probed.chosen()).containsExactly(null, null, null);
    UpdateRules.Rule single = r.rules().get(4);
    assertThat(single.perplexity()).containsExactly(105.0, 210.0, 310.0);
    assertThat(single.chosen()).containsExactly("taylor", "taylor", "taylor");
    assertThat(single.belowAgents()).isZero();
  }

  @Test
  void theSectionNamesEverySeedAndWhatEachRuleChose() {
    UpdateRules r = UpdateRules.of(List.of(seed(4, 100.0, 90.0, null, null, 105.0)));

    String md = r.markdown(List.of(4L));

    assertThat(md)
        .contains("| `outcome_best` | 90.00 | 0.900 | 1 of 1 seeds |")
        .contains("| `outcome_top3` | n/a |")
        .contains(
            "- seed 4: `outcome` mean of [taylor, fisher]; `outcome_best` mean of [fisher]; `outcome_top3`"
                + " (not recorded); `probed` (not recorded); best single taylor");
  }
}
