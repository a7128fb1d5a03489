package io.prunewire.evaluation.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code headline} object of {@code results.json}: per model seed, at {@link
 * CompareSettings#HALF} of the hidden neurons, one-shot without fine-tune the agent's default
 * fusion, the best single criterion of that seed (chosen after the fact, {@code random} excluded),
 * random and HAP; the dense references; and the final perplexities of training with the agent
 * pruning on a cubic schedule (the fusion {@code agent_fusion}, the default fusion unless {@code
 * prunewire compare --agent-fusion} chose another, and {@code agent_arm}, which names the arm when
 * its fusion or recovery is not the default and is null otherwise; gradual magnitude pruning). A
 * value that was not measured is {@code null}. Over several seeds, {@code summary} gives medians,
 * bootstrap intervals and the conditions the headline is judged by.
 */
record HeadlineRows(
    double fraction,
    @JsonProperty("default_fusion") String defaultFusion,
    @JsonProperty("agent_fusion") String agentFusion,
    @JsonProperty("agent_arm") String agentArm,
    List<Row> rows,
    HeadlineSummary summary) {

  HeadlineRows {
    rows = List.copyOf(rows);
  }

  /** Rows without a summary (a single run of one seed). */
  HeadlineRows(
      double fraction, String defaultFusion, String agentFusion, String agentArm, List<Row> rows) {
    this(fraction, defaultFusion, agentFusion, agentArm, rows, null);
  }

  /** One model seed's numbers (validation perplexities). */
  record Row(
      long seed,
      @JsonProperty("default") Double defaultFusion,
      @JsonProperty("best_single") Double bestSingle,
      @JsonProperty("best_single_name") String bestSingleName,
      Double random,
      Double hap,
      Double dense,
      @JsonProperty("small_dense") Double smallDense,
      @JsonProperty("during_default") Double duringDefault,
      @JsonProperty("during_gmp") Double duringGmp) {}

  /**
   * The row of one compare run (one model seed).
   *
   * @param defaultFusion the pruning scorer that stands for the agent's default fusion
   * @param pruning section 3's rows
   * @param schedules the during-training and dense arms, by {@link CompareResult.Schedule#arm()}
   */
  static Row row(
      long seed,
      String defaultFusion,
      List<CompareResult.Pruning> pruning,
      List<CompareResult.Schedule> schedules) {
    List<CompareResult.Pruning> atHalf =
        pruning.stream().filter(p -> p.fraction() == CompareSettings.HALF).toList();
    Optional<CompareResult.Pruning> best =
        atHalf.stream()
            .filter(
                p ->
                    p.kind().equals("criterion")
                        && !p.scorer().equals(Names.RANDOM)
                        && Double.isFinite(p.perplexity()))
            .min(Comparator.comparingDouble(CompareResult.Pruning::perplexity));
    return new Row(
        seed,
        oneShot(atHalf, defaultFusion),
        best.map(CompareResult.Pruning::perplexity).orElse(null),
        best.map(CompareResult.Pruning::scorer).orElse(null),
        oneShot(atHalf, Names.RANDOM),
        oneShot(atHalf, Names.HAP),
        arm(schedules, Arms.DENSE),
        arm(schedules, Arms.SMALL_DENSE),
        arm(schedules, Arms.AGENT),
        arm(schedules, Arms.GRADUAL_MAGNITUDE));
  }

  private static Double oneShot(List<CompareResult.Pruning> atHalf, String scorer) {
    return atHalf.stream()
        .filter(p -> p.scorer().equals(scorer))
        .map(CompareResult.Pruning::perplexity)
        .findFirst()
        .orElse(null);
  }

  private static Double arm(List<CompareResult.Schedule> schedules, String arm) {
    return schedules.stream()
        .filter(s -> s.arm().equals(arm))
        .map(CompareResult.Schedule::perplexity)
        .findFirst()
        .orElse(null);
  }

  /** The headline's column names, as {@code results.json} writes them. */
  static final class Columns {
    static final String DEFAULT = "default";
    static final String BEST_SINGLE = "best_single";
    static final String RANDOM = "random";
    static final String HAP = "hap";
    static final String DENSE = "dense";
    static final String SMALL_DENSE = "small_dense";
    static final String DURING_DEFAULT = "during_default";
    static final String DURING_GMP = "during_gmp";

    /** Every perplexity column, in {@link Row}'s order. */
    static final List<String> ALL =
        List.of(DEFAULT, BEST_SINGLE, RANDOM, HAP, DENSE, SMALL_DENSE, DURING_DEFAULT, DURING_GMP);

    private Columns() {}

    /** The value of {@code column} in {@code row}. */
    static Double of(Row row, String column) {
      return switch (column) {
        case DEFAULT -> row.defaultFusion();
        case BEST_SINGLE -> row.bestSingle();
        case RANDOM -> row.random();
        case HAP -> row.hap();
        case DENSE -> row.dense();
        case SMALL_DENSE -> row.smallDense();
        case DURING_DEFAULT -> row.duringDefault();
        case DURING_GMP -> row.duringGmp();
        default ->
            throw new IllegalArgumentException(
                "no headline column " + column + "; columns are " + ALL);
      };
    }
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
