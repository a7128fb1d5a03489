package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Section 2: Spearman ρ of every scorer with the single-ablation oracle, per group and pooled. */
final class RankingSection {

  private RankingSection() {}

  /** Rows by pooled normalised ρ, highest first; undefined ρ last. */
  static List<CompareResult.Ranking> sorted(List<CompareResult.Ranking> ranking) {
    return ranking.stream()
        .sorted(
            Comparator.comparing(
                CompareResult.Ranking::pooledNormalised,
                Comparator.nullsLast(Comparator.<Double>reverseOrder())))
        .toList();
  }

  static String markdown(CompareResult r) {
    StringBuilder b = new StringBuilder("## 2 Ranking diagnostic\n\n");
    List<String> groups = CompareCsv.rankingGroups(r);
    MarkdownTable t = new MarkdownTable().text("scorer").text("kind").text("family");
    groups.forEach(g -> t.number("ρ " + g));
    t.number("pooled ρ (normalised)").number("pooled ρ (raw)");
    List<CompareResult.Ranking> rows = sorted(r.ranking());
    for (CompareResult.Ranking k : rows) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  "`" + k.scorer() + "`",
                  Objects.toString(k.kind(), ""),
                  Objects.toString(k.family(), "")));
      groups.forEach(g -> cells.add(Cells.rho(k.perGroup().get(g))));
      cells.add(Cells.rho(k.pooledNormalised()));
      cells.add(Cells.rho(k.pooledRaw()));
      t.row(cells);
    }
    b.append(t).append('\n');
    List<CompareResult.Ranking> noted =
        rows.stream().filter(k -> k.note() != null && !k.note().isBlank()).toList();
    if (!noted.isEmpty()) {
      b.append("Notes:\n\n");
      noted.forEach(
          k ->
              b.append("- `")
                  .append(k.scorer())
                  .append("`: ")
                  .append(k.note().strip())
                  .append('\n'));
      b.append('\n');
    }
    b.append(reading(rows)).append("\n\n");
    b.append("![Spearman ρ per scorer](").append(CompareCharts.SPEARMAN).append(")\n\n");
    return b.toString();
  }

  private static String reading(List<CompareResult.Ranking> rows) {
    List<CompareResult.Ranking> defined =
        rows.stream().filter(k -> Cells.defined(k.pooledNormalised())).toList();
    StringBuilder b =
        new StringBuilder(
            "Spearman ρ between each scorer and the single-ablation Δloss (higher score ="
                + " keep, so a perfect ranking has ρ = 1), within each group and over all neurons pooled, once after"
                + " per-group normalisation and once on the raw scores. ");
    Optional<CompareResult.Ranking> criterion =
        defined.stream()
            .filter(k -> !Names.FUSION.equals(k.kind()) && !k.scorer().equals(Names.ORACLE))
            .findFirst();
    Optional<CompareResult.Ranking> fusion =
        defined.stream().filter(k -> Names.FUSION.equals(k.kind())).findFirst();
    criterion.ifPresent(
        k ->
            b.append("The best criterion is `")
                .append(k.scorer())
                .append("` (pooled normalised ρ ")
                .append(Cells.rho(k.pooledNormalised()))
                .append(")"));
    fusion.ifPresent(
        k ->
            b.append(criterion.isPresent() ? ", the best fusion `" : "The best fusion is `")
                .append(k.scorer())
                .append("` (")
                .append(Cells.rho(k.pooledNormalised()))
                .append(")"));
    if (criterion.isPresent() || fusion.isPresent()) {
      b.append(". ");
    }
    for (String reference : List.of(Names.HAP, Names.RANDOM)) {
      for (int i = 0; i < defined.size(); i++) {
        if (defined.get(i).scorer().equals(reference)) {
          b.append('`')
              .append(reference)
              .append("` has ρ ")
              .append(Cells.rho(defined.get(i).pooledNormalised()))
              .append(" (rank ")
              .append(i + 1)
              .append(" of ")
              .append(defined.size())
              .append("). ");
        }
      }
    }
    b.append(Cells.NA)
        .append(" marks a ρ that is undefined (see the notes); pooled raw ρ is ")
        .append(Cells.NA)
        .append(
            " for fusions, whose inputs are normalised by construction. This is a diagnostic: single effects"
                + " do not add up (section 1), and the perplexity of the pruned network (section 3) is the measure"
                + " that counts.");
    return b.toString();
  }
}
