package io.prunewire.evaluation.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of several contenders measured in rounds, each round running every contender once, side by
 * side. A contender's figure is its median over rounds; its ratio to the baseline is the median
 * over rounds of the ratio within a round, so load that changes between rounds cancels out and a
 * round slowed by a neighbour cannot tip it.
 */
public final class SideBySide {

  private final String baseline;
  private final Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();

  public SideBySide(String baseline) {
    this.baseline = baseline;
  }

  /**
   * The next round's score of {@code contender} in {@code row} (rounds are counted per contender).
   */
  public void add(String row, String contender, double score) {
    scores
        .computeIfAbsent(row, r -> new LinkedHashMap<>())
        .computeIfAbsent(contender, c -> new ArrayList<>())
        .add(score);
  }

  public List<String> rows() {
    return List.copyOf(scores.keySet());
  }

  /** The contender's scores in the row, one per round. */
  public List<Double> rounds(String row, String contender) {
    return List.copyOf(scores.getOrDefault(row, Map.of()).getOrDefault(contender, List.of()));
  }

  public double median(String row, String contender) {
    return median(rounds(row, contender).stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Median over the rounds both ran of {@code contender / baseline} within each round. */
  public double medianRatio(String row, String contender) {
    List<Double> of = rounds(row, contender);
    List<Double> base = rounds(row, baseline);
    int n = Math.min(of.size(), base.size());
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      ratios[i] = of.get(i) / base.get(i);
    }
    return median(ratios);
  }

  /** Median of the values (mean of the middle two for an even count); NaN for none. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return BenchTable.median(sorted);
  }
}
