package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 3's pruning rows as a scorer × fraction grid: validation perplexity without and with the
 * fine-tune, one column per entry of {@link CompareResult#fractions()}. Scorers keep the order of
 * their first row.
 */
final class PruningGrid {

  /**
   * Fractions that differ by less than this are the same column (they come from the same doubles).
   */
  private static final double SAME_FRACTION = 1e-9;

  private final List<Double> fractions;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  private record Row(String kind, Double[] plain, Double[] tuned, int[] removed) {}

  private PruningGrid(List<Double> fractions) {
    this.fractions = List.copyOf(fractions);
  }

  /**
   * @throws IllegalArgumentException naming the row when a fraction is not one of the result's
   *     fractions or a (scorer, fraction) pair occurs twice
   */
  static PruningGrid of(CompareResult result) {
    PruningGrid g = new PruningGrid(result.fractions());
    int n = g.fractions.size();
    for (int i = 0; i < result.pruning().size(); i++) {
      CompareResult.Pruning p = result.pruning().get(i);
      int c = column(g.fractions, p.fraction());
      if (c < 0) {
        throw new IllegalArgumentException(
            "pruning["
                + i
                + "] ("
                + p.scorer()
                + "): fraction "
                + p.fraction()
                + " is not one of fractions "
                + g.fractions);
      }
      Row row =
          g.rows.computeIfAbsent(
              p.scorer(), s -> new Row(p.kind(), new Double[n], new Double[n], new int[n]));
      if (row.plain[c] != null) {
        throw new IllegalArgumentException(
            "pruning["
                + i
                + "]: scorer "
                + p.scorer()
                + " at fraction "
                + p.fraction()
                + " occurs twice");
      }
      row.plain[c] = p.perplexity();
      row.tuned[c] = p.fineTuned();
      row.removed[c] = p.removed();
    }
    return g;
  }

  /** Index of {@code fraction} in {@code fractions}, or −1. */
  static int column(List<Double> fractions, double fraction) {
    for (int c = 0; c < fractions.size(); c++) {
      if (Math.abs(fractions.get(c) - fraction) < SAME_FRACTION) {
        return c;
      }
    }
    return -1;
  }

  List<Double> fractions() {
    return fractions;
  }

  List<String> scorers() {
    return new ArrayList<>(rows.keySet());
  }

  /** Scorers with at least one fine-tuned perplexity. */
  List<String> fineTunedScorers() {
    return rows.keySet().stream()
        .filter(s -> Arrays.stream(rows.get(s).tuned).anyMatch(Cells::defined))
        .toList();
  }

  String kind(String scorer) {
    return rows.get(scorer).kind;
  }

  /**
   * Perplexity without fine-tune, or {@code null} when {@code scorer} was not pruned at that
   * column.
   */
  Double perplexity(String scorer, int column, boolean fineTuned) {
    Row row = rows.get(scorer);
    return row == null ? null : (fineTuned ? row.tuned : row.plain)[column];
  }

  /**
   * The number of neurons every scorer removed at {@code column}, or {@code null} if they differ or
   * none did.
   */
  Integer removed(int column) {
    Integer common = null;
    for (Row row : rows.values()) {
      if (row.plain[column] == null) {
        continue;
      }
      if (common != null && common != row.removed[column]) {
        return null;
      }
      common = row.removed[column];
    }
    return common;
  }

  /**
   * The column whose fraction is nearest to {@code fraction} (the headline's 50 %), or −1 without
   * columns.
   */
  int nearest(double fraction) {
    return nearest(fractions, fraction);
  }

  /**
   * The index of the entry of {@code fractions} nearest to {@code fraction}, or −1 when it is
   * empty.
   */
  static int nearest(List<Double> fractions, double fraction) {
    int best = -1;
    for (int c = 0; c < fractions.size(); c++) {
      if (best < 0
          || Math.abs(fractions.get(c) - fraction) < Math.abs(fractions.get(best) - fraction)) {
        best = c;
      }
    }
    return best;
  }
}
