package io.prunewire.evaluation.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The results folder of a headline-only run ({@code --headline-only}): {@code report.md} with the
 * headline over model seeds, the update rules compared ({@link UpdateRules}), each seed's
 * checkpoint and the provenance, and {@code results.json} with the same numbers; each seed's own
 * measurements stay in {@code seed-<seed>/}.
 */
final class HeadlineReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What {@code results.json} holds for a headline-only run. */
  record Result(
      Map<String, Object> provenance,
      List<CompareResult.Model> models,
      HeadlineRows headline,
      UpdateRules rules) {}

  private HeadlineReport() {}

  /**
   * @param gathered whether this run only summarised seeds measured earlier ({@code
   *     --gather-only}), so that the report says which command measures them
   */
  static Path write(
      Map<String, Object> provenance,
      List<SeedHeadline.Result> seeds,
      HeadlineRows headline,
      boolean gathered,
      Path dir)
      throws IOException {
    Files.createDirectories(dir);
    List<CompareResult.Model> models = seeds.stream().map(SeedHeadline.Result::checkpoint).toList();
    UpdateRules rules = UpdateRules.of(seeds);
    JSON.writeValue(
        dir.resolve(CompareJson.FILE).toFile(), new Result(provenance, models, headline, rules));
    StringBuilder b = new StringBuilder("# Prunewire compare report: headline\n\n");
    b.append(
        "This run measured only the headline (`--headline-only`); the diagnostic sections of a full run"
            + " (ground truth, ranking, every fraction, stability, cost) are not in it.\n\n");
    b.append(HeadlineSection.markdown(headline));
    b.append(rules.markdown(seeds.stream().map(SeedHeadline.Result::seed).toList()));
    b.append("## Checkpoints\n\n");
    MarkdownTable t =
        new MarkdownTable()
            .number("model seed")
            .text("model")
            .number("parameters")
            .number("trained steps")
            .number("validation perplexity")
            .text("default fusion's choice")
            .number("seed wall time (s)");
    for (SeedHeadline.Result r : seeds) {
      CompareResult.Model m = r.checkpoint();
      t.row(
          List.of(
              Long.toString(r.seed()),
              m.description(),
              Long.toString(m.parameters()),
              Integer.toString(m.trainedSteps()),
              Cells.ppl(m.validPerplexity()),
              r.outcome(),
              Cells.fixed(r.seconds(), 0)));
    }
    b.append(t).append('\n');
    b.append("Each seed's numbers, window by window, are in `seed-<seed>/")
        .append(SeedHeadline.FILE)
        .append(
            "`; the during-training arms' own reports in `seed-<seed>/schedule-<arm>/report.md`.\n\n");
    b.append("## Provenance\n\n");
    Object command = provenance.get(CompareMarkdown.COMMAND);
    if (command != null) {
      if (gathered) {
        b.append(
            "The seeds were measured by the same command without `--gather-only`, all at once or one seed per"
                + " process (`--model-seeds 1`, `--model-seeds 2`, ... with the same `--out`, side by side); this report"
                + " gathers what they stored:\n\n");
      } else {
        b.append("Reproduce with:\n\n");
      }
      b.append("```\n").append(command).append("\n```\n\n");
    }
    MarkdownTable p = new MarkdownTable().text("key").text("value");
    provenance.forEach(
        (k, v) -> {
          if (!k.equals(CompareMarkdown.COMMAND)) {
            p.row(List.of(k, String.valueOf(v)));
          }
        });
    b.append(p).append('\n');
    Path report = dir.resolve(CompareReport.REPORT);
    Files.writeString(report, b.toString());
    return report;
  }
}
