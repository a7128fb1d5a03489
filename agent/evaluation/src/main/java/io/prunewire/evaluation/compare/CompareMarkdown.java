package io.prunewire.evaluation.compare;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code report.md}: headline, setup, the seven sections of the comparison and the list of files.
 */
final class CompareMarkdown {

  /** The provenance key of the command line, shown in a code block. */
  static final String COMMAND = "command";

  private CompareMarkdown() {}

  static String markdown(CompareResult r, PruningGrid grid) {
    return "# Prunewire compare report\n\n"
        + "**Headline.** "
        + CompareHeadline.paragraph(r, grid)
        + "\n\n"
        + HeadlineSection.markdown(r.headline())
        + setup(r)
        + GroundTruthSection.markdown(r)
        + RankingSection.markdown(r)
        + PruningSection.markdown(r, grid)
        + ProgressiveSection.markdown(r)
        + StabilitySection.markdown(r)
        + CostSection.markdown(r)
        + ScheduleSection.markdown(r)
        + files();
  }

  private static String setup(CompareResult r) {
    CompareResult.Model m = r.model();
    StringBuilder b = new StringBuilder("## Setup\n\n");
    MarkdownTable model =
        new MarkdownTable()
            .text("model")
            .text("value")
            .row(List.of("description", Objects.toString(m.description(), "")))
            .row(
                List.of(
                    "embedding / rnn / snn width",
                    m.embedding() + " / " + m.rnn() + " / " + m.snn()))
            .row(List.of("hidden neurons", Integer.toString(m.hiddenNeurons())))
            .row(List.of("parameters", Long.toString(m.parameters())))
            .row(List.of("trained steps", Integer.toString(m.trainedSteps())))
            .row(List.of("validation perplexity (unpruned)", Cells.ppl(m.validPerplexity())))
            .row(
                List.of(
                    "checkpoint",
                    m.cached()
                        ? "from the cache"
                        : "trained by this run in " + Cells.fixed(m.trainSeconds(), 1) + " s"))
            .row(
                List.of(
                    "checkpoint (in the --cache-dir)", Objects.toString(m.checkpointDir(), "")));
    b.append(model).append('\n');
    MarkdownTable groups = new MarkdownTable().text("group").text("type").number("neurons");
    r.groups().forEach(g -> groups.row(List.of(g.name(), g.type(), Integer.toString(g.neurons()))));
    b.append(
            "Every measurement is taken on this checkpoint; the groups are its layer-and-type groups of hidden"
                + " neurons:\n\n")
        .append(groups)
        .append('\n');
    b.append("### Provenance\n\n");
    Object command = r.provenance().get(COMMAND);
    b.append(
        command == null
            ? "The command line was not recorded.\n\n"
            : "Reproduce with:\n\n```\n" + command + "\n```\n\n");
    MarkdownTable provenance = new MarkdownTable().text("key").text("value");
    for (Map.Entry<String, Object> e : r.provenance().entrySet()) {
      if (!e.getKey().equals(COMMAND)) {
        provenance.row(List.of(e.getKey(), String.valueOf(e.getValue())));
      }
    }
    if (!provenance.isEmpty()) {
      b.append(provenance).append('\n');
    }
    return b.toString();
  }

  private static String files() {
    StringBuilder b = new StringBuilder("## Files\n\n");
    b.append("- [")
        .append(CompareJson.FILE)
        .append("](")
        .append(CompareJson.FILE)
        .append("): every number of this report (NaN and infinities as null)\n");
    for (String f : CompareCsv.FILES) {
      b.append("- [").append(f).append("](").append(f).append(")\n");
    }
    for (String f : CompareCharts.FILES) {
      b.append("- [").append(f).append("](").append(f).append(")\n");
    }
    return b.toString();
  }
}
