package io.prunewire.scorers.fusion;

import io.prunewire.scorers.internal.IndexSort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code adaptive}: weights proportional to each criterion's measured reliability, its rank
 * stability between consecutive updates of one layer.
 *
 * <p>On every {@link #update} the reliability of criterion c is smoothed as {@code r_c ← (1 −
 * α)·r_c + α·ρ_c} (the first observation sets {@code r_c = ρ_c}), where {@code ρ_c} is Spearman's
 * correlation between c's scores now and at the previous update; a constant criterion has undefined
 * ρ and counts as 0 (it carries no ranking information). Weights are {@code w_c = max(r_c, 0) / Σ_k
 * max(r_k, 0)}, where a criterion not yet measured counts as {@code r_c = 0}; until some criterion
 * has a positive reliability the weights are equal. One instance holds the history of one layer; if
 * the layer's size changes (physical shrinking), the next update only records the new ranks.
 *
 * <p>Caveat: rank stability rewards any criterion that does not change, including a seeded random
 * score; leave such criteria out of the input.
 */
public final class AdaptiveFusion implements Fusion {

  private final double smoothing;
  private final Map<String, Double> reliability = new LinkedHashMap<>();

  /** Fractional ranks of each criterion at the last update: one sort per criterion per update. */
  private final Map<String, double[]> previousRanks = new LinkedHashMap<>();

  private AdaptiveFusion(double smoothing) {
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException(
          "adaptive fusion: smoothing α must be in (0, 1], got " + smoothing);
    }
    this.smoothing = smoothing;
  }

  /** A fusion with no history and smoothing factor {@code α ∈ (0, 1]}. */
  public static AdaptiveFusion withSmoothing(double smoothing) {
    return new AdaptiveFusion(smoothing);
  }

  /** Restores a fusion from {@link #state()}. */
  public static AdaptiveFusion restore(State state) {
    AdaptiveFusion f = new AdaptiveFusion(state.smoothing());
    for (int c = 0; c < state.criteria().size(); c++) {
      String name = state.criteria().get(c);
      if (!Double.isNaN(state.reliability()[c])) {
        f.reliability.put(name, state.reliability()[c]);
      }
      f.previousRanks.put(name, state.previousRanks()[c].clone());
    }
    return f;
  }

  @Override
  public String name() {
    return "adaptive";
  }

  /** Measures each criterion's rank stability against the previous update and smooths it. */
  public void update(CriterionScores criteria) {
    for (String name : criteria.names()) {
      double[] now = IndexSort.averageRanks(criteria.view(name));
      double[] before = previousRanks.get(name);
      if (before != null && before.length == now.length) {
        double rho = Spearman.ofRanks(before, now);
        double observed = Double.isNaN(rho) ? 0.0 : rho;
        Double r = reliability.get(name);
        reliability.put(name, r == null ? observed : (1 - smoothing) * r + smoothing * observed);
      }
      previousRanks.put(name, now);
    }
  }

  /** The smoothed reliability of a criterion, {@code NaN} before its second update. */
  public double reliability(String criterion) {
    return reliability.getOrDefault(criterion, Double.NaN);
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    List<String> names = criteria.names();
    double total = 0;
    for (String name : names) {
      total += Math.max(reliability.getOrDefault(name, 0.0), 0.0);
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String name : names) {
      weights.put(
          name,
          total > 0
              ? Math.max(reliability.getOrDefault(name, 0.0), 0.0) / total
              : 1.0 / names.size());
    }
    return WeightedSum.of(name(), criteria, weights);
  }

  /** A snapshot of the history, for storage; {@code reliability[c]} is NaN if not yet measured. */
  public State state() {
    List<String> names = new ArrayList<>(previousRanks.keySet());
    double[] r = new double[names.size()];
    double[][] prev = new double[names.size()][];
    for (int c = 0; c < names.size(); c++) {
      r[c] = reliability.getOrDefault(names.get(c), Double.NaN);
      prev[c] = previousRanks.get(names.get(c)).clone();
    }
    return new State(smoothing, names, r, prev);
  }

  /**
   * Raw state: the smoothing factor, and per criterion its smoothed reliability (NaN if not yet
   * measured) and the fractional ranks (1-based, ties averaged) of its scores at the last update.
   */
  public record State(
      double smoothing, List<String> criteria, double[] reliability, double[][] previousRanks) {
    public State {
      criteria = List.copyOf(criteria);
      Objects.requireNonNull(reliability, "reliability");
      Objects.requireNonNull(previousRanks, "previousRanks");
      if (reliability.length != criteria.size() || previousRanks.length != criteria.size()) {
        throw new IllegalArgumentException(
            "adaptive fusion state: "
                + criteria.size()
                + " criteria but "
                + reliability.length
                + " reliabilities and "
                + previousRanks.length
                + " rank arrays");
      }
    }
  }
}
