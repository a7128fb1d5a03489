package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Section 4: progressive validation, from weight statistics alone to the full fusion. */
final class ProgressiveSection {

  private ProgressiveSection() {}

  static String markdown(CompareResult r) {
    StringBuilder b = new StringBuilder("## 4 Progressive validation\n\n");
    if (r.progressive().isEmpty()) {
      return b.append("Progressive validation was not measured in this run.\n\n").toString();
    }
    MarkdownTable t =
        new MarkdownTable().text("stage").text("fusion").text("criteria").number("pooled ρ");
    r.fractions().forEach(f -> t.number("ppl @ " + Cells.percent(f)));
    double bestRho =
        Cells.best(
            r.progressive().stream().map(CompareResult.Progressive::pooledSpearman).toList(),
            false);
    double[] bestPpl = new double[r.fractions().size()];
    for (int c = 0; c < bestPpl.length; c++) {
      int column = c;
      bestPpl[c] =
          Cells.best(r.progressive().stream().map(p -> p.perplexity().get(column)).toList(), true);
    }
    for (CompareResult.Progressive p : r.progressive()) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  p.stage(),
                  p.fusion(),
                  String.join(", ", p.criteria()),
                  Cells.boldIfBest(Cells.rho(p.pooledSpearman()), p.pooledSpearman(), bestRho)));
      for (int c = 0; c < bestPpl.length; c++) {
        Double ppl = p.perplexity().get(c);
        cells.add(Cells.boldIfBest(Cells.ppl(ppl), ppl, bestPpl[c]));
      }
      t.row(cells);
    }
    b.append(t).append('\n');
    b.append(
            "Each stage adds a kind of evidence to the criteria fused (weight statistics → + activation → + gradient"
                + " → full fusion); pooled ρ is the pooled normalised Spearman ρ with the single-ablation oracle and the"
                + " perplexities are measured without fine-tune. Bold: the best per column. ")
        .append(trend(r))
        .append("\n\n");
    b.append("![progressive validation](").append(CompareCharts.PROGRESSIVE).append(")\n\n");
    return b.toString();
  }

  /**
   * Per fusion, pooled ρ and the headline-fraction perplexity of its first stage against its last.
   */
  private static String trend(CompareResult r) {
    Map<String, List<CompareResult.Progressive>> byFusion = new LinkedHashMap<>();
    r.progressive()
        .forEach(p -> byFusion.computeIfAbsent(p.fusion(), f -> new ArrayList<>()).add(p));
    int c = PruningGrid.nearest(r.fractions(), CompareHeadline.HEADLINE_FRACTION);
    List<String> parts = new ArrayList<>();
    byFusion.forEach(
        (fusion, stages) -> {
          if (stages.size() < 2) {
            return;
          }
          CompareResult.Progressive first = stages.get(0);
          CompareResult.Progressive last = stages.get(stages.size() - 1);
          String text =
              "with `"
                  + fusion
                  + "`, from "
                  + first.stage()
                  + " to "
                  + last.stage()
                  + " pooled ρ goes from "
                  + Cells.rho(first.pooledSpearman())
                  + " to "
                  + Cells.rho(last.pooledSpearman());
          if (c >= 0) {
            text +=
                " and perplexity at "
                    + Cells.percent(r.fractions().get(c))
                    + " from "
                    + Cells.ppl(first.perplexity().get(c))
                    + " to "
                    + Cells.ppl(last.perplexity().get(c));
          }
          parts.add(text);
        });
    return parts.isEmpty() ? "" : "In order of the stages: " + String.join("; ", parts) + ".";
  }
}
