package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's first section: the headline over model seeds — each seed's row, the medians with
 * their bootstrap intervals, and every condition with whether it holds, stated either way.
 */
final class HeadlineSection {

  private HeadlineSection() {}

  static String markdown(HeadlineRows h) {
    StringBuilder b = new StringBuilder("## Headline over model seeds\n\n");
    if (h == null || h.rows().isEmpty()) {
      return b.append("No headline was measured in this run.\n\n").toString();
    }
    b.append("At ")
        .append(Cells.percent(h.fraction()))
        .append(" of each group's hidden neurons: `default` is the" + " agent's default fusion (`")
        .append(h.defaultFusion())
        .append(
            "`), `best_single` the best single"
                + " criterion of that seed chosen after the fact, `random` and `hap` (the Hessian-trace baseline) — each"
                + " pruning the trained checkpoint once, without fine-tune. `dense` is the checkpoint itself (the same model"
                + " trained the same steps, never pruned); `small_dense` a dense model of the pruned size trained from scratch"
                + " for the same steps; `during_default` and `during_gmp` train from scratch with the agent pruning to the same"
                + " size on a cubic schedule, with "
                + (h.agentArm() == null
                    ? "the default arm (the default fusion, its removal candidates measured after "
                        + AgentArm.DEFAULT_RECOVERY_STEPS
                        + " recovery steps on training windows, at most a tenth of the training"
                        + " steps)"
                    : "the agent arm `"
                        + h.agentArm()
                        + "` (not the default arm; see `prunewire compare --help`)")
                + " and by gradual magnitude pruning. Validation perplexity; lower is better.\n\n");
    MarkdownTable rows = new MarkdownTable().number("model seed");
    HeadlineRows.Columns.ALL.forEach(rows::number);
    rows.text("best single criterion");
    for (HeadlineRows.Row r : h.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(Long.toString(r.seed()));
      HeadlineRows.Columns.ALL.forEach(c -> cells.add(Cells.ppl(HeadlineRows.Columns.of(r, c))));
      cells.add(r.bestSingleName() == null ? Cells.NA : "`" + r.bestSingleName() + "`");
      rows.row(cells);
    }
    b.append(rows).append('\n');
    HeadlineSummary s = h.summary();
    if (s == null) {
      return b.append("One seed: no summary over seeds.\n\n").toString();
    }
    b.append("Medians over the ")
        .append(s.seeds())
        .append(" seeds, with 95 % intervals from ")
        .append(s.resamples())
        .append(
            " bootstrap resamples of the seeds and, within each, of the validation windows (paired across"
                + " columns). With so few seeds the interval mostly shows the spread between them.\n\n");
    MarkdownTable est =
        new MarkdownTable().text("quantity").number("median").number("95 % interval");
    for (HeadlineSummary.Estimate e : s.columns()) {
      est.row(List.of("`" + e.name() + "`", Cells.ppl(e.median()), interval(e, 1)));
    }
    for (HeadlineSummary.Estimate e : s.ratios()) {
      est.row(List.of("`" + e.name() + "`", Cells.fixed(e.median(), 3), interval(e, 3)));
    }
    b.append(est).append('\n');
    MarkdownTable crit = new MarkdownTable().text("condition").text("holds").text("numbers");
    long failed = 0;
    for (HeadlineSummary.Criterion c : s.criteria()) {
      String holds = c.holds() == null ? "not measured" : c.holds() ? "yes" : "**no**";
      if (Boolean.FALSE.equals(c.holds())) {
        failed++;
      }
      crit.row(List.of(c.condition(), holds, c.detail()));
    }
    b.append(crit).append('\n');
    b.append(
        failed == 0
            ? "Every measured condition holds.\n\n"
            : "Negative result: "
                + failed
                + " of "
                + s.criteria().size()
                + " conditions do not hold on these seeds.\n\n");
    return b.toString();
  }

  private static String interval(HeadlineSummary.Estimate e, int decimals) {
    if (e.ciLow() == null) {
      return Cells.NA;
    }
    return "[" + Cells.fixed(e.ciLow(), decimals) + ", " + Cells.fixed(e.ciHigh(), decimals) + "]";
  }
}
