package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the outcome fusion should learn from measured removals, answered on every model seed:
 * one-shot pruning of the checkpoint at {@link CompareSettings#HALF} without fine-tune by each
 * update rule. {@link Names#OUTCOME} (the agent's rule), {@link Names#OUTCOME_BEST} and {@link
 * Names#OUTCOME_TOP3} read the same measured rounds; {@link Names#PROBED} is the offline forward
 * selection with its own, larger set of measured removals. The best single criterion of each seed,
 * chosen after the fact, is the bar every rule should clear.
 *
 * @param rules one row per rule, the agent's first, then the best single criterion
 */
record UpdateRules(List<Rule> rules) {

  /** The row of the best single criterion (not a rule: chosen after the fact, per seed). */
  static final String BEST_SINGLE = "best single criterion";

  UpdateRules {
    rules = List.copyOf(rules);
  }

  /**
   * One rule on every seed.
   *
   * @param perplexity per seed in the seeds' order, {@code null} where not measured
   * @param chosen what the rule chose on each seed, {@code null} where unknown
   * @param ratio median over seeds of {@code perplexity / perplexity(outcome)}, {@code null}
   *     without a pair
   * @param belowAgents seeds on which it pruned to a lower perplexity than the agent's rule
   * @param paired seeds on which both were measured
   */
  record Rule(
      String rule,
      List<Double> perplexity,
      List<String> chosen,
      Double ratio,
      int belowAgents,
      int paired) {}

  static UpdateRules of(List<SeedHeadline.Result> seeds) {
    List<String> names = new ArrayList<>(Names.OUTCOME_RULES);
    names.add(Names.PROBED);
    names.add(BEST_SINGLE);
    List<Rule> rows = new ArrayList<>();
    for (String name : names) {
      List<Double> ppl = new ArrayList<>();
      List<String> chosen = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      int below = 0;
      for (SeedHeadline.Result r : seeds) {
        Double p = perplexity(r, name);
        Double agents = perplexity(r, Names.OUTCOME);
        ppl.add(p);
        chosen.add(name.equals(BEST_SINGLE) ? r.row().bestSingleName() : r.fusions().get(name));
        if (p != null && agents != null) {
          ratios.add(p / agents);
          below += p < agents ? 1 : 0;
        }
      }
      Double ratio =
          ratios.isEmpty()
              ? null
              : Stats.median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
      rows.add(new Rule(name, ppl, chosen, ratio, below, ratios.size()));
    }
    return new UpdateRules(rows);
  }

  private static Double perplexity(SeedHeadline.Result r, String name) {
    if (name.equals(BEST_SINGLE)) {
      return r.row().bestSingle();
    }
    Optional<CompareResult.Pruning> p =
        r.pruning().stream()
            .filter(x -> x.scorer().equals(name) && x.fraction() == CompareSettings.HALF)
            .findFirst();
    return p.map(CompareResult.Pruning::perplexity).orElse(null);
  }

  /** The report's section. */
  String markdown(List<Long> seeds) {
    StringBuilder b = new StringBuilder("## Update rules of the outcome fusion\n\n");
    b.append("How the fusion should learn from measured removals, at ")
        .append(Cells.percent(CompareSettings.HALF))
        .append(
            " one-shot without fine-tune. `outcome` is the agent's rule (adopt the measured subset that beat"
                + " the incumbent); `outcome_best` (the single criterion with the lowest mean regret, a greedy bandit) and"
                + " `outcome_top3` (the mean of the three lowest) read the same measured rounds; `probed` is forward"
                + " selection with its own, larger number of measured removals. Validation perplexity; lower is better."
                + " A rule is worth switching to only if it is below `outcome` on every seed.\n\n");
    MarkdownTable t = new MarkdownTable().text("rule");
    seeds.forEach(s -> t.number("seed " + s));
    t.number("median ratio to `outcome`").text("below `outcome` on");
    for (Rule r : rules) {
      List<String> cells = new ArrayList<>();
      cells.add(
          r.rule().equals(BEST_SINGLE) ? r.rule() + " (after the fact)" : "`" + r.rule() + "`");
      r.perplexity().forEach(p -> cells.add(Cells.ppl(p)));
      cells.add(r.rule().equals(Names.OUTCOME) ? "1" : Cells.fixed(r.ratio(), 3));
      cells.add(
          r.rule().equals(Names.OUTCOME) ? "" : r.belowAgents() + " of " + r.paired() + " seeds");
      t.row(cells);
    }
    b.append(t).append('\n');
    b.append("What each chose:\n\n");
    for (int i = 0; i < seeds.size(); i++) {
      b.append("- seed ").append(seeds.get(i)).append(':');
      for (Rule r : rules) {
        String c = r.chosen().get(i);
        b.append(' ')
            .append(r.rule().equals(BEST_SINGLE) ? "best single" : "`" + r.rule() + "`")
            .append(' ')
            .append(c == null ? "(not recorded)" : c)
            .append(';');
      }
      b.setLength(b.length() - 1);
      b.append('\n');
    }
    return b.append('\n').toString();
  }
}
