package io.prunewire.cli.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code headline} object of {@code results.json}: per model seed, at {@link
 * CompareSettings#HALF} of the hidden neurons, one-shot without fine-tune the agent's default
 * fusion, the best single criterion of that seed (chosen after the fact, {@code random} excluded),
 * random and HAP; the dense references; and the final perplexities of training with the agent
 * pruning on a cubic schedule (default fusion; gradual magnitude pruning). A value that was not
 * measured is {@code null}.
 */
record HeadlineRows(double fraction, @JsonProperty("default_fusion") String defaultFusion, List<Row> rows) {

  HeadlineRows {
    rows = List.copyOf(rows);
  }

  /** One model seed's numbers (validation perplexities). */
  record Row(long seed, @JsonProperty("default") Double defaultFusion, @JsonProperty("best_single") Double bestSingle,
      @JsonProperty("best_single_name") String bestSingleName, Double random, Double hap, Double dense,
      @JsonProperty("small_dense") Double smallDense, @JsonProperty("during_default") Double duringDefault,
      @JsonProperty("during_gmp") Double duringGmp) {}

  /**
   * The row of one compare run (one model seed).
   *
   * @param defaultFusion the pruning scorer that stands for the agent's default fusion
   * @param pruning       section 3's rows
   * @param schedules     the during-training and dense arms, by {@link CompareResult.Schedule#arm()}
   */
  static Row row(long seed, String defaultFusion, List<CompareResult.Pruning> pruning,
      List<CompareResult.Schedule> schedules) {
    List<CompareResult.Pruning> atHalf = pruning.stream().filter(p -> p.fraction() == CompareSettings.HALF).toList();
    Optional<CompareResult.Pruning> best = atHalf.stream()
        .filter(p -> p.kind().equals("criterion") && !p.scorer().equals(Names.RANDOM) && Double.isFinite(p.perplexity()))
        .min(Comparator.comparingDouble(CompareResult.Pruning::perplexity));
    return new Row(seed, oneShot(atHalf, defaultFusion), best.map(CompareResult.Pruning::perplexity).orElse(null),
        best.map(CompareResult.Pruning::scorer).orElse(null), oneShot(atHalf, Names.RANDOM), oneShot(atHalf, Names.HAP),
        arm(schedules, Arms.DENSE), arm(schedules, Arms.SMALL_DENSE), arm(schedules, Arms.AGENT),
        arm(schedules, Arms.GRADUAL_MAGNITUDE));
  }

  private static Double oneShot(List<CompareResult.Pruning> atHalf, String scorer) {
    return atHalf.stream().filter(p -> p.scorer().equals(scorer)).map(CompareResult.Pruning::perplexity).findFirst()
        .orElse(null);
  }

  private static Double arm(List<CompareResult.Schedule> schedules, String arm) {
    return schedules.stream().filter(s -> s.arm().equals(arm)).map(CompareResult.Schedule::perplexity).findFirst()
        .orElse(null);
  }

  /** The arm names of {@link CompareResult.Schedule}. */
  static final class Arms {
    static final String AGENT = "agent";
    static final String GRADUAL_MAGNITUDE = "gradual-magnitude";
    static final String DENSE = "dense";
    static final String SMALL_DENSE = "small-dense";

    private Arms() {}
  }
}
