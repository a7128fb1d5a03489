package io.prunewire.scorers.fusion;

import java.util.Map;

/**
 * {@code criterion:<name>}: one normalised criterion alone decides, {@code fused = x_name}. It lets
 * the agent run a classic single-criterion method (e.g. {@code magnitude} for gradual magnitude
 * pruning, Zhu &amp; Gupta 2017) through the same retention and schedule as the fusions.
 */
public final class SingleCriterion implements Fusion {

  /** Prefix of the strategy name. */
  public static final String PREFIX = "criterion:";

  private final String criterion;

  public SingleCriterion(String criterion) {
    if (criterion == null || criterion.isBlank()) {
      throw new IllegalArgumentException("single-criterion fusion: criterion name is empty");
    }
    this.criterion = criterion;
  }

  /** The criterion that decides. */
  public String criterion() {
    return criterion;
  }

  @Override
  public String name() {
    return PREFIX + criterion;
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    if (!criteria.has(criterion)) {
      throw new IllegalArgumentException(
          "single-criterion fusion: layer "
              + criteria.layer()
              + " has no criterion '"
              + criterion
              + "', only "
              + criteria.names());
    }
    return WeightedSum.of(name(), criteria, Map.of(criterion, 1.0));
  }
}
