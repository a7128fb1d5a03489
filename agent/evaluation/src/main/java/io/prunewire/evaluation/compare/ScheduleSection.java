package io.prunewire.evaluation.compare;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Section 7: pruning during training against pruning after it, at equal total training steps. */
final class ScheduleSection {

  private ScheduleSection() {}

  static String markdown(CompareResult r) {
    StringBuilder b = new StringBuilder("## 7 During training vs after\n\n");
    if (r.schedules().isEmpty()) {
      return b.append("The schedule arms were not run in this run.\n\n").toString();
    }
    double best =
        Cells.best(r.schedules().stream().map(s -> (Double) s.perplexity()).toList(), true);
    MarkdownTable t =
        new MarkdownTable()
            .text("arm")
            .text("description")
            .number("total steps")
            .number("kept neurons")
            .number("perplexity")
            .number("seconds");
    for (CompareResult.Schedule s : r.schedules()) {
      t.row(
          List.of(
              "`" + s.arm() + "`",
              Objects.toString(s.description(), ""),
              Integer.toString(s.totalSteps()),
              Integer.toString(s.keptNeurons()),
              Cells.boldIfBest(Cells.ppl(s.perplexity()), s.perplexity(), best),
              Cells.fixed(s.seconds(), 1)));
    }
    b.append(t).append('\n');
    b.append(
            "Each arm reaches the final size at the same total number of training steps: the agent pruning at"
                + " checkpoints during training (cubic schedule), one-shot pruning after training, and gradual magnitude"
                + " pruning (Zhu & Gupta, 2017, arXiv:1710.01878). Bold: the lowest validation perplexity. ")
        .append(reading(r.schedules()))
        .append("\n\n");
    return b.toString();
  }

  private static String reading(List<CompareResult.Schedule> arms) {
    List<CompareResult.Schedule> ranked =
        arms.stream()
            .filter(s -> Cells.defined(s.perplexity()))
            .sorted(Comparator.comparingDouble(CompareResult.Schedule::perplexity))
            .toList();
    StringBuilder b = new StringBuilder();
    if (ranked.size() >= 2) {
      b.append("`")
          .append(ranked.get(0).arm())
          .append("` ends lowest (")
          .append(Cells.ppl(ranked.get(0).perplexity()))
          .append("), `")
          .append(ranked.get(ranked.size() - 1).arm())
          .append("` highest (")
          .append(Cells.ppl(ranked.get(ranked.size() - 1).perplexity()))
          .append(").");
    }
    if (arms.stream().map(CompareResult.Schedule::keptNeurons).distinct().count() > 1) {
      b.append(" The arms did not end at the same size, which the comparison must allow for.");
    }
    if (arms.stream().map(CompareResult.Schedule::totalSteps).distinct().count() > 1) {
      b.append(" The arms did not train for the same number of steps.");
    }
    return b.toString().strip();
  }
}
