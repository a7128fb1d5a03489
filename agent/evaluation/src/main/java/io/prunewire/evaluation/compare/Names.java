package io.prunewire.evaluation.compare;

/** The scorer names and kinds of a compare run that the report singles out. */
final class Names {

  /** The single-ablation oracle used as a pruning criterion (a reference, not a method). */
  static final String ORACLE = "oracle";

  /** The Hessian-trace baseline of the HSTNN line of work, {@code trace(H)·‖w_in‖²/numel}. */
  static final String HAP = "hap";

  /** Seeded random scores: the floor every method must beat. */
  static final String RANDOM = "random";

  /** The fusion whose weights are learned from measured ablations. */
  static final String LEARNED = "learned";

  /** The fusion whose criteria are chosen by the measured damage of the removals they propose. */
  static final String PROBED = "probed";

  /**
   * The agent's default fusion, learned from measured removal sets round by round (here: as many
   * rounds as the during-training arms have checkpoints, on the frozen checkpoint).
   */
  static final String OUTCOME = "outcome";

  /**
   * The outcome fusion's rounds read as a greedy bandit: the one criterion with the lowest mean
   * regret.
   */
  static final String OUTCOME_BEST = "outcome_best";

  /**
   * The outcome fusion's rounds read as the mean of the three criteria with the lowest mean regret.
   */
  static final String OUTCOME_TOP3 = "outcome_top3";

  /** The update rules compared on the same measured rounds, the agent's first. */
  static final java.util.List<String> OUTCOME_RULES =
      java.util.List.of(OUTCOME, OUTCOME_BEST, OUTCOME_TOP3);

  /** {@link CompareResult.Ranking#kind()} and {@link CompareResult.Pruning#kind()} of a fusion. */
  static final String FUSION = "fusion";

  private Names() {}
}
