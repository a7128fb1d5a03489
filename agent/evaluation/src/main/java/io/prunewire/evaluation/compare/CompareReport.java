package io.prunewire.evaluation.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a compare run's results folder: {@code report.md}, its PNG plots, one CSV file per section
 * and {@code results.json}.
 */
final class CompareReport {

  static final String REPORT = "report.md";

  private CompareReport() {}

  /**
   * Writes every file into {@code dir} (created if missing) and returns the path of {@code
   * report.md}.
   *
   * @throws IllegalArgumentException naming the field when {@code result} is incomplete or
   *     inconsistent
   */
  static Path write(CompareResult result, Path dir) throws IOException {
    validate(result);
    Files.createDirectories(dir);
    PruningGrid grid = PruningGrid.of(result);
    CompareCsv.writeAll(result, dir);
    CompareJson.write(result, dir);
    CompareCharts.writeAll(result, grid, dir);
    Path report = dir.resolve(REPORT);
    Files.writeString(report, CompareMarkdown.markdown(result, grid));
    return report;
  }

  private static void validate(CompareResult r) {
    Objects.requireNonNull(r, "result");
    require(r.provenance(), "provenance");
    require(r.fractions(), "fractions");
    require(r.model(), "model");
    require(r.groups(), "groups");
    require(r.oracle(), "oracle");
    require(r.oracle().singles(), "oracle.singles");
    require(r.oracle().groups(), "oracle.groups");
    require(r.ranking(), "ranking");
    require(r.pruning(), "pruning");
    require(r.snnRatio(), "snnRatio");
    require(r.progressive(), "progressive");
    require(r.stability(), "stability");
    require(r.scoringCost(), "scoringCost");
    require(r.collectionCost(), "collectionCost");
    require(r.schedules(), "schedules");
    for (int i = 0; i < r.fractions().size(); i++) {
      require(r.fractions().get(i), "fractions[" + i + "]");
      if (i > 0 && !(r.fractions().get(i) > r.fractions().get(i - 1))) {
        throw new IllegalArgumentException("fractions must be ascending, got " + r.fractions());
      }
    }
    Set<List<String>> stages = new HashSet<>();
    for (CompareResult.Progressive p : r.progressive()) {
      require(p.criteria(), "progressive " + p.stage() + ".criteria");
      require(p.perplexity(), "progressive " + p.stage() + ".perplexity");
      if (!stages.add(Arrays.asList(p.stage(), p.fusion()))) {
        throw new IllegalArgumentException(
            "progressive stage " + p.stage() + " with fusion " + p.fusion() + " occurs twice");
      }
      if (p.perplexity().size() != r.fractions().size()) {
        throw new IllegalArgumentException(
            "progressive stage "
                + p.stage()
                + " ("
                + p.fusion()
                + "): "
                + p.perplexity().size()
                + " perplexities for "
                + r.fractions().size()
                + " fractions");
      }
    }
    for (CompareResult.Ranking k : r.ranking()) {
      require(k.perGroup(), "ranking " + k.scorer() + ".perGroup");
    }
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(
          "CompareResult." + field + " is null (use an empty list or map)");
    }
  }
}
