package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The report's headline paragraph, derived only from the numbers: which scorers prune best at the
 * fraction nearest 50 %, how the fusions fare against the Hessian-trace baseline {@code hap},
 * random and the oracle, and whether fusion is more stable than {@code hap}. Where the baseline or
 * random wins, it says so.
 */
final class CompareHeadline {

  /** The headline compares perplexities at the measured fraction nearest to this one. */
  static final double HEADLINE_FRACTION = 0.5;

  private CompareHeadline() {}

  static String paragraph(CompareResult r, PruningGrid grid) {
    int c = grid.nearest(HEADLINE_FRACTION);
    if (c < 0 || grid.scorers().isEmpty()) {
      return "No pruning was measured in this run, so there is no headline result.";
    }
    String at = Cells.percent(grid.fractions().get(c));
    List<String> s = new ArrayList<>();
    s.add(
        "Unpruned, the network has validation perplexity "
            + Cells.ppl(r.model().validPerplexity())
            + ".");
    s.add(
        best(
                grid,
                c,
                false,
                "At "
                    + at
                    + " of the hidden neurons pruned without fine-tuning, the lowest"
                    + " validation perplexity is ")
            + ".");
    s.add(
        grid.fineTunedScorers().isEmpty()
            ? "No scorer was fine-tuned."
            : best(grid, c, true, "After the short fine-tune, the lowest is ") + ".");
    s.add(fusionsVersusHap(grid, c, false));
    if (!grid.fineTunedScorers().isEmpty()) {
      s.add(fusionsVersusHap(grid, c, true));
    }
    s.add(fusionVersusCriteria(grid, c));
    s.add(versusRandom(grid, c));
    s.add(stability(r));
    s.removeIf(String::isEmpty);
    return String.join(" ", s);
  }

  /**
   * "{@code prefix} `x` (p)", plus the best criterion or fusion when the oracle is best overall.
   */
  private static String best(PruningGrid grid, int c, boolean fineTuned, String prefix) {
    Optional<String> best = lowest(grid, c, fineTuned, s -> true);
    if (best.isEmpty()) {
      return prefix + "not available (no perplexity at this fraction)";
    }
    String text = prefix + scorer(grid, best.get(), c, fineTuned);
    if (best.get().equals(Names.ORACLE)) {
      Optional<String> method = lowest(grid, c, fineTuned, s -> !s.equals(Names.ORACLE));
      if (method.isPresent()) {
        text +=
            "; among the criteria and fusions it is " + scorer(grid, method.get(), c, fineTuned);
      }
    }
    return text;
  }

  /**
   * The scorer with the lowest defined perplexity at column {@code c} among those {@code eligible}.
   */
  private static Optional<String> lowest(
      PruningGrid grid, int c, boolean fineTuned, Predicate<String> eligible) {
    return grid.scorers().stream()
        .filter(eligible)
        .filter(s -> Cells.defined(grid.perplexity(s, c, fineTuned)))
        .min(Comparator.comparingDouble(s -> grid.perplexity(s, c, fineTuned)));
  }

  private static String scorer(PruningGrid grid, String scorer, int c, boolean fineTuned) {
    return "`" + scorer + "` (" + Cells.ppl(grid.perplexity(scorer, c, fineTuned)) + ")";
  }

  /**
   * How many fusions prune to a lower perplexity than {@code hap}, naming them and the ones that do
   * not.
   */
  private static String fusionsVersusHap(PruningGrid grid, int c, boolean fineTuned) {
    String when = fineTuned ? " after the fine-tune" : " without fine-tuning";
    Double hap = grid.perplexity(Names.HAP, c, fineTuned);
    List<String> fusions =
        grid.scorers().stream()
            .filter(s -> Names.FUSION.equals(grid.kind(s)))
            .filter(s -> Cells.defined(grid.perplexity(s, c, fineTuned)))
            .toList();
    if (!Cells.defined(hap)) {
      return "The Hessian-trace baseline `hap` has no perplexity"
          + when
          + ", so the fusions cannot be compared with it.";
    }
    if (fusions.isEmpty()) {
      return "No fusion has a perplexity"
          + when
          + " to compare with the Hessian-trace baseline `hap` ("
          + Cells.ppl(hap)
          + ").";
    }
    List<String> better =
        fusions.stream()
            .filter(f -> grid.perplexity(f, c, fineTuned) < hap)
            .map(f -> scorer(grid, f, c, fineTuned))
            .toList();
    List<String> notBetter =
        fusions.stream()
            .filter(f -> grid.perplexity(f, c, fineTuned) >= hap)
            .map(f -> scorer(grid, f, c, fineTuned))
            .toList();
    String baseline = "the Hessian-trace baseline `hap` (" + Cells.ppl(hap) + ")" + when;
    if (notBetter.isEmpty()) {
      return "Every fusion measured beats " + baseline + ": " + String.join(", ", better) + ".";
    }
    if (better.isEmpty()) {
      return "Negative result: "
          + baseline
          + " is at least as good as every fusion measured: "
          + String.join(", ", notBetter)
          + ".";
    }
    return better.size()
        + " of "
        + fusions.size()
        + " fusions beat "
        + baseline
        + ": "
        + String.join(", ", better)
        + "; negative result for "
        + String.join(", ", notBetter)
        + ", no better than `hap`.";
  }

  /**
   * Whether fusing pays: the best fusion against the best single criterion (random excluded, it is
   * a floor, not a criterion) without fine-tuning, where every scorer has a perplexity.
   */
  private static String fusionVersusCriteria(PruningGrid grid, int c) {
    Optional<String> fusion = lowest(grid, c, false, s -> Names.FUSION.equals(grid.kind(s)));
    Optional<String> criterion =
        lowest(grid, c, false, s -> "criterion".equals(grid.kind(s)) && !s.equals(Names.RANDOM));
    if (fusion.isEmpty() || criterion.isEmpty()) {
      return "";
    }
    String both =
        "the best fusion "
            + scorer(grid, fusion.get(), c, false)
            + " against the best single criterion "
            + scorer(grid, criterion.get(), c, false);
    return grid.perplexity(fusion.get(), c, false) < grid.perplexity(criterion.get(), c, false)
        ? "Fusing pays here: " + both + "."
        : "Negative result for fusion: " + both + ".";
  }

  /**
   * Where random pruning and the oracle stand, and plainly whether the best fusion and hap beat
   * random.
   */
  private static String versusRandom(PruningGrid grid, int c) {
    Double random = grid.perplexity(Names.RANDOM, c, false);
    Double oracle = grid.perplexity(Names.ORACLE, c, false);
    List<String> references = new ArrayList<>();
    if (Cells.defined(random)) {
      references.add("random pruning gives " + Cells.ppl(random));
    }
    if (Cells.defined(oracle)) {
      references.add("pruning by the single-ablation oracle " + Cells.ppl(oracle));
    }
    if (references.isEmpty()) {
      return "Neither random pruning nor the oracle has a perplexity here to compare with.";
    }
    StringBuilder b =
        new StringBuilder("For reference, ").append(String.join(" and ", references)).append('.');
    if (!Cells.defined(random)) {
      return b.toString();
    }
    Optional<String> fusion = lowest(grid, c, false, s -> Names.FUSION.equals(grid.kind(s)));
    if (fusion.isPresent() && grid.perplexity(fusion.get(), c, false) >= random) {
      b.append(" Negative result: no fusion beats random pruning.");
    }
    Double hap = grid.perplexity(Names.HAP, c, false);
    if (Cells.defined(hap) && hap >= random) {
      b.append(" `hap` does not beat random pruning either.");
    }
    return b.toString();
  }

  /** Kendall τ of each fusion against {@code hap}'s (section 5). */
  private static String stability(CompareResult r) {
    Optional<CompareResult.Stability> hap =
        r.stability().stream()
            .filter(s -> s.scorer().equals(Names.HAP) && Cells.defined(s.kendallTau()))
            .findFirst();
    List<String> fusions = fusionNames(r);
    List<CompareResult.Stability> fused =
        r.stability().stream()
            .filter(s -> fusions.contains(s.scorer()) && Cells.defined(s.kendallTau()))
            .toList();
    if (hap.isEmpty() || fused.isEmpty()) {
      return "Stability across seeds could not be compared: Kendall τ is missing for `hap` or for every fusion.";
    }
    double tau = hap.get().kendallTau();
    long more = fused.stream().filter(s -> s.kendallTau() > tau).count();
    String list =
        String.join(
            ", ",
            fused.stream().map(s -> "`" + s.scorer() + "` " + Cells.rho(s.kendallTau())).toList());
    String numbers =
        "(Kendall τ of the rankings over "
            + hap.get().seeds()
            + " seeds: `hap` "
            + Cells.rho(tau)
            + "; "
            + list
            + ")";
    if (more == fused.size()) {
      return "Every fusion is more stable across seeds than `hap` " + numbers + ".";
    }
    if (more == 0) {
      return "Negative result: no fusion is more stable across seeds than `hap` " + numbers + ".";
    }
    return more
        + " of "
        + fused.size()
        + " fusions are more stable across seeds than `hap` "
        + numbers
        + ".";
  }

  /** Scorers of kind fusion, from the ranking and pruning rows. */
  private static List<String> fusionNames(CompareResult r) {
    List<String> names = new ArrayList<>();
    r.ranking().stream()
        .filter(k -> Names.FUSION.equals(k.kind()))
        .forEach(k -> names.add(k.scorer()));
    r.pruning().stream()
        .filter(p -> Names.FUSION.equals(p.kind()) && !names.contains(p.scorer()))
        .forEach(p -> names.add(p.scorer()));
    return names;
  }
}
