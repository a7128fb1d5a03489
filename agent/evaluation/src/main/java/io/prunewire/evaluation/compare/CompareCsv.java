package io.prunewire.evaluation.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The raw numbers of a compare run, one {@link Csv} file per section, one row per measurement. */
final class CompareCsv {

  static final String ORACLE_SINGLES = "oracle-singles.csv";
  static final String ORACLE_GROUPS = "oracle-groups.csv";
  static final String RANKING = "ranking.csv";
  static final String PRUNING = "pruning.csv";
  static final String SNN_RATIO = "snn-ratio.csv";
  static final String PROGRESSIVE = "progressive.csv";
  static final String STABILITY = "stability.csv";
  static final String SCORING_COST = "scoring-cost.csv";
  static final String COLLECTION_COST = "collection-cost.csv";
  static final String SCHEDULES = "schedules.csv";

  /** Every file {@link #writeAll} writes, in section order. */
  static final List<String> FILES =
      List.of(
          ORACLE_SINGLES,
          ORACLE_GROUPS,
          RANKING,
          PRUNING,
          SNN_RATIO,
          PROGRESSIVE,
          STABILITY,
          SCORING_COST,
          COLLECTION_COST,
          SCHEDULES);

  private CompareCsv() {}

  static void writeAll(CompareResult r, Path dir) throws IOException {
    write(
        dir,
        ORACLE_SINGLES,
        List.of("group", "neuron", "delta_loss"),
        r.oracle().singles().stream().map(s -> row(s.group(), s.neuron(), s.deltaLoss())));
    write(
        dir,
        ORACLE_GROUPS,
        List.of("size", "delta_loss", "sum_of_singles"),
        r.oracle().groups().stream().map(g -> row(g.size(), g.deltaLoss(), g.sumOfSingles())));

    List<String> groups = rankingGroups(r);
    List<String> ranking = new ArrayList<>(List.of("scorer", "kind", "family"));
    groups.forEach(g -> ranking.add("rho_" + g));
    ranking.addAll(List.of("pooled_normalised", "pooled_raw", "note"));
    write(
        dir,
        RANKING,
        ranking,
        r.ranking().stream()
            .map(
                k -> {
                  List<Object> row = row(k.scorer(), k.kind(), k.family());
                  groups.forEach(g -> row.add(k.perGroup().get(g)));
                  row.addAll(row(k.pooledNormalised(), k.pooledRaw(), k.note()));
                  return row;
                }));

    write(
        dir,
        PRUNING,
        List.of("scorer", "kind", "fraction", "removed", "perplexity", "fine_tuned"),
        r.pruning().stream()
            .map(
                p ->
                    row(
                        p.scorer(),
                        p.kind(),
                        p.fraction(),
                        p.removed(),
                        p.perplexity(),
                        p.fineTuned())));
    write(
        dir,
        SNN_RATIO,
        List.of(
            "scorer",
            "snn_ratio",
            "fraction",
            "kept_spiking",
            "kept_analog",
            "perplexity",
            "fine_tuned"),
        r.snnRatio().stream()
            .map(
                s ->
                    row(
                        s.scorer(),
                        s.snnRatio(),
                        s.fraction(),
                        s.keptSpiking(),
                        s.keptAnalog(),
                        s.perplexity(),
                        s.fineTuned())));

    List<String> progressive =
        new ArrayList<>(List.of("stage", "fusion", "criteria", "pooled_spearman"));
    r.fractions().forEach(f -> progressive.add("perplexity_" + Csv.cell(f)));
    write(
        dir,
        PROGRESSIVE,
        progressive,
        r.progressive().stream()
            .map(
                p -> {
                  List<Object> row =
                      row(
                          p.stage(),
                          p.fusion(),
                          String.join(" ", p.criteria()),
                          p.pooledSpearman());
                  row.addAll(p.perplexity());
                  return row;
                }));

    write(
        dir,
        STABILITY,
        List.of("scorer", "seeds", "fraction", "kendall_tau", "jaccard", "note"),
        r.stability().stream()
            .map(
                s ->
                    row(
                        s.scorer(),
                        s.seeds(),
                        s.fraction(),
                        s.kendallTau(),
                        s.jaccard(),
                        s.note())));
    write(
        dir,
        SCORING_COST,
        List.of("scorer", "width", "median_millis"),
        r.scoringCost().stream().map(c -> row(c.scorer(), c.width(), c.medianMillis())));
    write(
        dir,
        COLLECTION_COST,
        List.of("component", "per", "median_millis", "repeats"),
        r.collectionCost().stream()
            .map(c -> row(c.component(), c.per(), c.medianMillis(), c.repeats())));
    write(
        dir,
        SCHEDULES,
        List.of("arm", "description", "total_steps", "kept_neurons", "perplexity", "seconds"),
        r.schedules().stream()
            .map(
                s ->
                    row(
                        s.arm(),
                        s.description(),
                        s.totalSteps(),
                        s.keptNeurons(),
                        s.perplexity(),
                        s.seconds())));
  }

  /**
   * The groups of section 2's per-group columns: the result's groups in order, then any other names
   * the rows use.
   */
  static List<String> rankingGroups(CompareResult r) {
    Set<String> names = new LinkedHashSet<>();
    r.groups().forEach(g -> names.add(g.name()));
    Set<String> extra = new TreeSet<>();
    r.ranking().forEach(k -> extra.addAll(k.perGroup().keySet()));
    names.addAll(extra);
    return List.copyOf(names);
  }

  /** A growable row that may hold nulls (List.of may not). */
  private static List<Object> row(Object... cells) {
    return new ArrayList<>(Arrays.asList(cells));
  }

  private static void write(Path dir, String name, List<String> header, Stream<List<Object>> rows)
      throws IOException {
    Csv.write(dir.resolve(name), header, rows.toList());
  }
}
