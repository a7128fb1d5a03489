package io.prunewire.evaluation.compare;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Section 5: how much each scorer agrees with itself across telemetry seeds. */
final class StabilitySection {

  private StabilitySection() {}

  static String markdown(CompareResult r) {
    StringBuilder b = new StringBuilder("## 5 Stability\n\n");
    if (r.stability().isEmpty()) {
      return b.append("Stability was not measured in this run.\n\n").toString();
    }
    List<CompareResult.Stability> rows =
        r.stability().stream()
            .sorted(
                Comparator.comparing(
                    CompareResult.Stability::kendallTau,
                    Comparator.nullsLast(Comparator.<Double>reverseOrder())))
            .toList();
    double bestTau =
        Cells.best(rows.stream().map(CompareResult.Stability::kendallTau).toList(), false);
    double bestJaccard =
        Cells.best(rows.stream().map(CompareResult.Stability::jaccard).toList(), false);
    MarkdownTable t =
        new MarkdownTable()
            .text("scorer")
            .number("seeds")
            .number("Kendall τ")
            .number("pruned")
            .number("Jaccard of kept sets")
            .text("note");
    for (CompareResult.Stability s : rows) {
      t.row(
          List.of(
              "`" + s.scorer() + "`",
              Integer.toString(s.seeds()),
              Cells.boldIfBest(Cells.rho(s.kendallTau()), s.kendallTau(), bestTau),
              Cells.percent(s.fraction()),
              Cells.boldIfBest(Cells.rho(s.jaccard()), s.jaccard(), bestJaccard),
              Objects.toString(s.note(), "")));
    }
    b.append(t).append('\n');
    b.append(
            "Each scorer is computed from telemetry of differently seeded runs; Kendall τ-b compares its per-group"
                + " rankings and Jaccard |A∩B|/|A∪B| its kept sets at the stated fraction, both averaged over seed pairs"
                + " (1 = identical). Rows are sorted by τ; bold: the most stable per column; ")
        .append(Cells.NA)
        .append(" = undefined (see the note). ")
        .append(extremes(rows))
        .append("\n\n");
    b.append("![stability per scorer](").append(CompareCharts.STABILITY).append(")\n\n");
    return b.toString();
  }

  private static String extremes(List<CompareResult.Stability> sortedByTau) {
    List<CompareResult.Stability> defined =
        sortedByTau.stream().filter(s -> Cells.defined(s.kendallTau())).toList();
    if (defined.size() < 2) {
      return "";
    }
    CompareResult.Stability most = defined.get(0);
    CompareResult.Stability least = defined.get(defined.size() - 1);
    return "The most stable ranking is `"
        + most.scorer()
        + "`'s (τ "
        + Cells.rho(most.kendallTau())
        + "), the least stable `"
        + least.scorer()
        + "`'s (τ "
        + Cells.rho(least.kendallTau())
        + ").";
  }
}
