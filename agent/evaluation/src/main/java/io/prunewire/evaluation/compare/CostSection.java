package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Section 6: scoring time per criterion and layer width, and the cost of collecting the evidence.
 */
final class CostSection {

  private CostSection() {}

  static String markdown(CompareResult r) {
    StringBuilder b = new StringBuilder("## 6 Cost\n\n### Scoring time by width\n\n");
    if (r.scoringCost().isEmpty()) {
      b.append("Scoring time was not measured in this run.\n\n");
    } else {
      b.append(scoring(r.scoringCost()));
    }
    b.append("### Collecting the evidence\n\n");
    if (r.collectionCost().isEmpty()) {
      return b.append("Collection cost was not measured in this run.\n\n").toString();
    }
    MarkdownTable t =
        new MarkdownTable().text("component").text("per").number("median ms").number("repeats");
    for (CompareResult.CollectionCost c : r.collectionCost()) {
      t.row(
          List.of(
              c.component(),
              c.per(),
              Cells.millis(c.medianMillis()),
              Integer.toString(c.repeats())));
    }
    b.append(t).append('\n');
    b.append(
        "Median wall time of collecting each kind of evidence on this model, per the stated unit, over the"
            + " stated number of repeats.\n\n");
    return b.toString();
  }

  /**
   * Scorer × width, slowest at the largest width first, with the log-log slope of time against
   * width.
   */
  private static String scoring(List<CompareResult.ScoringCost> costs) {
    List<Integer> widths =
        new ArrayList<>(
            new TreeSet<>(costs.stream().map(CompareResult.ScoringCost::width).toList()));
    Map<String, Double[]> byScorer = new LinkedHashMap<>();
    for (CompareResult.ScoringCost c : costs) {
      byScorer
              .computeIfAbsent(c.scorer(), s -> new Double[widths.size()])[
              widths.indexOf(c.width())] =
          c.medianMillis();
    }
    int widest = widths.size() - 1;
    List<String> scorers = new ArrayList<>(byScorer.keySet());
    scorers.sort(
        Comparator.comparing(
            (String s) -> byScorer.get(s)[widest],
            Comparator.nullsLast(Comparator.<Double>reverseOrder())));
    MarkdownTable t = new MarkdownTable().text("scorer");
    widths.forEach(w -> t.number("width " + w + " (ms)"));
    t.number("exponent k");
    for (String s : scorers) {
      List<String> cells = new ArrayList<>(List.of("`" + s + "`"));
      Double[] ms = byScorer.get(s);
      for (Double m : ms) {
        cells.add(Cells.millis(m));
      }
      cells.add(Cells.fixed(exponent(widths, ms), 2));
      t.row(cells);
    }
    StringBuilder b = new StringBuilder(t.toString()).append('\n');
    double median =
        Stats.median(
            scorers.stream()
                .map(s -> byScorer.get(s)[widest])
                .filter(Cells::defined)
                .mapToDouble(Double::doubleValue)
                .toArray());
    b.append(
            "Median time to compute each scorer from one layer's evidence at each layer width; exponent k is the"
                + " least-squares slope of ln(time) against ln(width), i.e. time ∝ width^k (1 = linear, 2 = quadratic; ")
        .append(Cells.NA)
        .append(" with fewer than two widths). ");
    if (!scorers.isEmpty() && Cells.defined(byScorer.get(scorers.get(0))[widest])) {
      b.append("At width ")
          .append(widths.get(widest))
          .append(" the slowest is `")
          .append(scorers.get(0))
          .append("` (")
          .append(Cells.millis(byScorer.get(scorers.get(0))[widest]))
          .append(" ms); the median over")
          .append(" scorers is ")
          .append(Cells.millis(median))
          .append(" ms.");
    }
    b.append("\n\n![scoring time against width](").append(CompareCharts.COST).append(")\n\n");
    return b.toString();
  }

  /** {@link Stats#logLogSlope} over the widths where {@code ms} is defined. */
  private static double exponent(List<Integer> widths, Double[] ms) {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < ms.length; i++) {
      if (Cells.defined(ms[i])) {
        points.add(new double[] {widths.get(i), ms[i]});
      }
    }
    return Stats.logLogSlope(
        points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }
}
