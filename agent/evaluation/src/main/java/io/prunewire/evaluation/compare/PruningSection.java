package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Section 3: perplexity after pruning by each scorer, with and without fine-tune, and the snn_ratio
 * rule.
 */
final class PruningSection {

  private PruningSection() {}

  static String markdown(CompareResult r, PruningGrid grid) {
    StringBuilder b = new StringBuilder("## 3 Pruning\n\n");
    int c = grid.nearest(CompareHeadline.HEADLINE_FRACTION);
    String by =
        c < 0
            ? ""
            : " Rows are sorted by the " + Cells.percent(grid.fractions().get(c)) + " column.";
    b.append("### Without fine-tune\n\n").append(table(grid, grid.scorers(), false)).append('\n');
    b.append(
            "Validation perplexity after removing each fraction of the hidden neurons in the order each scorer ranks"
                + " them (HSTNN type-aware retention at snn_ratio 0.5), no fine-tune; the unpruned network has ")
        .append(Cells.ppl(r.model().validPerplexity()))
        .append(". Bold: the lowest perplexity per column.")
        .append(by)
        .append(' ')
        .append(spread(grid, false))
        .append("\n\n");
    b.append("![perplexity against the pruned fraction](")
        .append(CompareCharts.PERPLEXITY)
        .append(")\n\n");

    b.append("### After the short fine-tune\n\n");
    List<String> tuned = grid.fineTunedScorers();
    if (tuned.isEmpty()) {
      b.append("No scorer was fine-tuned in this run.\n\n");
    } else {
      b.append(table(grid, tuned, true)).append('\n');
      b.append(
              "The same pruned networks after the fixed short fine-tune (its settings are in the provenance),"
                  + " for the scorers that were fine-tuned; ")
          .append(Cells.NA)
          .append(" = not fine-tuned at that fraction.")
          .append(by)
          .append(' ')
          .append(spread(grid, true))
          .append(' ')
          .append(recovery(grid, tuned))
          .append("\n\n");
    }
    b.append("![perplexity after fine-tune against the pruned fraction](")
        .append(CompareCharts.PERPLEXITY_FINE_TUNED)
        .append(")\n\n");

    b.append("### snn_ratio (HSTNN selection rule)\n\n");
    if (r.snnRatio().isEmpty()) {
      return b.append("The snn_ratio rule was not measured in this run.\n\n").toString();
    }
    b.append(snnTable(r.snnRatio())).append('\n');
    b.append(
            "snn_ratio is the share of the kept neurons that are spiking (HSTNN); each row prunes the stated fraction"
                + " with that share. Bold: the lowest perplexity per column. ")
        .append(bestRatios(r.snnRatio()))
        .append("\n\n");
    return b.toString();
  }

  /** Scorer × fraction, sorted by the headline column, the lowest per column in bold. */
  private static MarkdownTable table(PruningGrid grid, List<String> scorers, boolean fineTuned) {
    MarkdownTable t = new MarkdownTable().text("scorer").text("kind");
    int n = grid.fractions().size();
    for (int c = 0; c < n; c++) {
      Integer removed = grid.removed(c);
      t.number(
          Cells.percent(grid.fractions().get(c))
              + (removed == null ? "" : " (" + removed + " removed)"));
    }
    int sortBy = grid.nearest(CompareHeadline.HEADLINE_FRACTION);
    List<String> rows = new ArrayList<>(scorers);
    if (sortBy >= 0) {
      rows.sort(
          Comparator.comparing(
              s -> finite(grid.perplexity(s, sortBy, fineTuned)),
              Comparator.nullsLast(Comparator.naturalOrder())));
    }
    double[] best =
        IntStream.range(0, n)
            .mapToDouble(
                c ->
                    Cells.best(
                        scorers.stream().map(s -> grid.perplexity(s, c, fineTuned)).toList(), true))
            .toArray();
    for (String s : rows) {
      List<String> cells =
          new ArrayList<>(List.of("`" + s + "`", Objects.toString(grid.kind(s), "")));
      for (int c = 0; c < n; c++) {
        Double p = grid.perplexity(s, c, fineTuned);
        cells.add(Cells.boldIfBest(Cells.ppl(p), p, best[c]));
      }
      t.row(cells);
    }
    return t;
  }

  /** NaN sorts like null (last); an infinite perplexity sorts as the largest number. */
  private static Double finite(Double v) {
    return Cells.defined(v) ? v : null;
  }

  /** The range of perplexities at the largest fraction. */
  private static String spread(PruningGrid grid, boolean fineTuned) {
    int last = grid.fractions().size() - 1;
    List<String> scorers =
        (fineTuned ? grid.fineTunedScorers() : grid.scorers())
            .stream()
                .filter(s -> last >= 0 && Cells.defined(grid.perplexity(s, last, fineTuned)))
                .toList();
    if (scorers.size() < 2) {
      return "";
    }
    Comparator<String> byPpl = Comparator.comparingDouble(s -> grid.perplexity(s, last, fineTuned));
    String lo = scorers.stream().min(byPpl).orElseThrow();
    String hi = scorers.stream().max(byPpl).orElseThrow();
    return "At "
        + Cells.percent(grid.fractions().get(last))
        + " the perplexities range from "
        + Cells.ppl(grid.perplexity(lo, last, fineTuned))
        + " (`"
        + lo
        + "`) to "
        + Cells.ppl(grid.perplexity(hi, last, fineTuned))
        + " (`"
        + hi
        + "`).";
  }

  /**
   * Mean perplexity before and after the fine-tune at the headline fraction, over scorers with
   * both.
   */
  private static String recovery(PruningGrid grid, List<String> tuned) {
    int c = grid.nearest(CompareHeadline.HEADLINE_FRACTION);
    List<String> both =
        tuned.stream()
            .filter(
                s ->
                    Cells.defined(grid.perplexity(s, c, false))
                        && Cells.defined(grid.perplexity(s, c, true)))
            .toList();
    if (both.isEmpty()) {
      return "";
    }
    double before =
        Stats.mean(both.stream().mapToDouble(s -> grid.perplexity(s, c, false)).toArray());
    double after =
        Stats.mean(both.stream().mapToDouble(s -> grid.perplexity(s, c, true)).toArray());
    return "At "
        + Cells.percent(grid.fractions().get(c))
        + " the fine-tune moves the mean perplexity of these "
        + both.size()
        + " scorers from "
        + Cells.ppl(before)
        + " to "
        + Cells.ppl(after)
        + ".";
  }

  private static MarkdownTable snnTable(List<CompareResult.SnnRatio> rows) {
    MarkdownTable t =
        new MarkdownTable()
            .text("scorer")
            .number("snn_ratio")
            .number("pruned")
            .number("kept spiking")
            .number("kept rnn")
            .number("perplexity")
            .number("fine-tuned");
    double best = Cells.best(rows.stream().map(s -> (Double) s.perplexity()).toList(), true);
    double bestTuned =
        Cells.best(rows.stream().map(CompareResult.SnnRatio::fineTuned).toList(), true);
    for (CompareResult.SnnRatio s : rows) {
      t.row(
          List.of(
              "`" + s.scorer() + "`",
              Cells.fixed(s.snnRatio(), 2),
              Cells.percent(s.fraction()),
              Integer.toString(s.keptSpiking()),
              Integer.toString(s.keptAnalog()),
              Cells.boldIfBest(Cells.ppl(s.perplexity()), s.perplexity(), best),
              Cells.boldIfBest(Cells.ppl(s.fineTuned()), s.fineTuned(), bestTuned)));
    }
    return t;
  }

  /** For each scorer and fraction, the snn_ratio with the lowest perplexity without fine-tune. */
  private static String bestRatios(List<CompareResult.SnnRatio> rows) {
    Map<List<Object>, CompareResult.SnnRatio> best = new LinkedHashMap<>();
    for (CompareResult.SnnRatio s : rows) {
      if (Cells.defined(s.perplexity())) {
        best.merge(
            List.of(s.scorer(), s.fraction()),
            s,
            (a, x) -> x.perplexity() < a.perplexity() ? x : a);
      }
    }
    List<String> parts =
        best.values().stream()
            .map(
                s ->
                    "`"
                        + s.scorer()
                        + "` at "
                        + Cells.percent(s.fraction())
                        + ": snn_ratio "
                        + Cells.fixed(s.snnRatio(), 2)
                        + " ("
                        + Cells.ppl(s.perplexity())
                        + ")")
            .toList();
    return parts.isEmpty() ? "" : "Lowest perplexity per scorer: " + String.join("; ", parts) + ".";
  }
}
