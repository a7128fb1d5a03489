package io.prunewire.scorers.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code outcome}: the equal-weight mean of a subset S of the criteria, {@code fused = (1/|S|)
 * Σ_{c∈S} x_c} (every criterion of the layer while S is empty, i.e. the simple fusion), where S is
 * learned online from the measured damage of whole removals — the agent's counterpart of {@link
 * ProbedFusion}, whose forward selection it spreads over the checkpoints of a run. A run starts
 * from {@link Config#start()} (by default S empty: every criterion).
 *
 * <p>A round: {@link #proposals} names candidate subsets — the incumbent S first, S plus each of
 * the {@code additions} best-evidenced criteria outside it, S minus its worst-evidenced member,
 * every criterion (when the run started from a configured subset and S is not every criterion), and
 * {@code singles} criteria alone (those measured least often first, then by evidence, then by the
 * prior order), at most {@code maxCandidates}. The caller removes, per group, the bottom fraction
 * of live neurons under each proposal's fused score and measures each removal's held-out loss
 * change on the same network state. {@link #update} then (1) adds each single criterion's regret
 * {@code Δloss(c alone) − Δloss(incumbent)} to that criterion's evidence and (2) moves S to the
 * proposal with the lowest measured Δloss among those that beat the incumbent by more than {@code
 * margin} combined standard errors: {@code Δloss(incumbent) − Δloss(p) > margin · √(se(incumbent)²
 * + se(p)²)}, {@code se} the standard errors the measurers reported (0 where not known; with the
 * default margin 0 any measured gain counts); an unmeasured incumbent keeps S. Outcomes are
 * compared only within a round (one network state), so checkpoints with different loss scales never
 * mix.
 *
 * <p>Why sets rather than single neurons: single removals do not add up on these networks and are
 * the noisiest signal there is; the damage of the removal actually proposed is what pruning pays.
 * LFPC (He et al., "Learning Filter Pruning Criteria for Deep Convolutional Neural Networks
 * Acceleration", CVPR 2020) likewise learns which criterion a layer uses from the validation loss
 * of the network the sampled criteria prune — offline; this does it during training.
 *
 * <p>Immutable: {@link #update} returns the next state.
 */
public final class OutcomeFusion implements Fusion {

  /** The strategy's catalog and configuration name. */
  public static final String NAME = "outcome";

  private final List<String> chosen;
  private final Map<String, Evidence> evidence;
  private final int rounds;
  private final long measured;

  private OutcomeFusion(
      List<String> chosen, Map<String, Evidence> evidence, int rounds, long measured) {
    this.chosen = List.copyOf(chosen);
    if (this.chosen.stream().distinct().count() != this.chosen.size()) {
      throw new IllegalArgumentException("outcome fusion: duplicate criteria " + chosen);
    }
    if (rounds < 0 || measured < 0) {
      throw new IllegalArgumentException(
          "outcome fusion: negative rounds " + rounds + " or measured " + measured);
    }
    this.evidence = Collections.unmodifiableMap(new TreeMap<>(evidence));
    this.rounds = rounds;
    this.measured = measured;
  }

  /** Before any outcome: S empty (every criterion, equal weights). */
  public static OutcomeFusion initial() {
    return new OutcomeFusion(List.of(), Map.of(), 0, 0);
  }

  /**
   * Before any outcome: S = {@code config.start()} if every criterion of it is among {@code
   * criteria}, else every criterion.
   */
  public static OutcomeFusion starting(Config config, List<String> criteria) {
    List<String> start = config.start();
    return new OutcomeFusion(criteria.containsAll(start) ? start : List.of(), Map.of(), 0, 0);
  }

  /**
   * A stored state, as {@link #chosen()}, {@link #evidence()}, {@link #rounds()}, {@link
   * #measured()} return it.
   */
  public static OutcomeFusion restore(
      List<String> chosen, Map<String, Evidence> evidence, int rounds, long measured) {
    return new OutcomeFusion(chosen, evidence, rounds, measured);
  }

  /** S in the order it was adopted; empty means every criterion of the layer. */
  public List<String> chosen() {
    return chosen;
  }

  /** Per criterion measured alone: its regrets against the incumbent, by name. */
  public Map<String, Evidence> evidence() {
    return evidence;
  }

  /** Rounds whose outcomes were applied. */
  public int rounds() {
    return rounds;
  }

  /** Candidates measured over all rounds. */
  public long measured() {
    return measured;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    List<String> subset = chosen.isEmpty() ? criteria.names() : chosen;
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String c : subset) {
      if (!criteria.has(c)) {
        throw new IllegalArgumentException(
            "outcome fusion: layer "
                + criteria.layer()
                + " has no criterion '"
                + c
                + "', only "
                + criteria.names());
      }
      weights.put(c, 1.0 / subset.size());
    }
    return WeightedSum.of(NAME, criteria, weights);
  }

  /**
   * The equal-weight mean of {@code subset} (every criterion of the layer when it is empty), as a
   * proposal fuses.
   */
  public static Fusion of(List<String> subset) {
    return new OutcomeFusion(subset, Map.of(), 0, 0);
  }

  /**
   * Criteria with measured evidence, best first: lowest mean regret, ties by more measurements,
   * then by name.
   */
  public List<String> ranked() {
    return evidence.entrySet().stream()
        .sorted(
            Comparator.<Map.Entry<String, Evidence>>comparingDouble(e -> e.getValue().meanRegret())
                .thenComparing(e -> -e.getValue().count())
                .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The criterion with the best measured evidence, if any was measured alone. */
  public Optional<String> best() {
    List<String> r = ranked();
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /**
   * The round's proposals, the incumbent first, subsets distinct.
   *
   * @param criteria the criteria that may be proposed (every layer has them)
   */
  public List<Proposal> proposals(List<String> criteria, Config config) {
    Objects.requireNonNull(config, "config");
    if (criteria.isEmpty()) {
      throw new IllegalArgumentException("outcome fusion: no criteria to propose");
    }
    for (String c : chosen) {
      if (!criteria.contains(c)) {
        throw new IllegalArgumentException(
            "outcome fusion: chosen criterion '" + c + "' is not among " + criteria);
      }
    }
    Map<List<String>, Proposal> out = new LinkedHashMap<>();
    add(out, new Proposal("incumbent", chosen), config);
    List<String> ranked = ranked().stream().filter(criteria::contains).toList();
    if (!chosen.isEmpty()) {
      if (chosen.size() < config.maxCriteria()) {
        int added = 0;
        for (String c : ranked) {
          if (added < config.additions() && !chosen.contains(c)) {
            List<String> s = new ArrayList<>(chosen);
            s.add(c);
            added += add(out, new Proposal("add:" + c, s), config) ? 1 : 0;
          }
        }
      }
      if (chosen.size() > 1) {
        String worst =
            chosen.stream()
                .max(
                    Comparator.comparingDouble(this::meanRegretOrZero)
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
        List<String> s = new ArrayList<>(chosen);
        s.remove(worst);
        add(out, new Proposal("drop:" + worst, s), config);
      }
      if (!config.start().isEmpty()) {
        // a run that starts narrower can still come back to the default's subset
        add(out, new Proposal("every", List.of()), config);
      }
    }
    List<String> explore = new ArrayList<>(criteria);
    Map<String, Integer> prior = new TreeMap<>();
    for (int i = 0; i < config.prior().size(); i++) {
      prior.putIfAbsent(config.prior().get(i), i);
    }
    explore.sort(
        Comparator.<String>comparingInt(c -> evidence.containsKey(c) ? evidence.get(c).count() : 0)
            .thenComparingDouble(this::meanRegretOrZero)
            .thenComparingInt(c -> prior.getOrDefault(c, Integer.MAX_VALUE)));
    int singles = 0;
    for (String c : explore) {
      if (singles < config.singles() && add(out, new Proposal("alone:" + c, List.of(c)), config)) {
        singles++;
      }
    }
    return List.copyOf(out.values());
  }

  private static boolean add(Map<List<String>, Proposal> out, Proposal p, Config config) {
    if (out.size() >= config.maxCandidates() || out.containsKey(p.criteria())) {
      return false;
    }
    out.put(p.criteria(), p);
    return true;
  }

  private double meanRegretOrZero(String criterion) {
    Evidence e = evidence.get(criterion);
    return e == null ? 0 : e.meanRegret();
  }

  /**
   * Applies one round's outcomes without standard errors: any measured gain over the incumbent
   * counts.
   *
   * @param proposals the round's proposals as {@link #proposals} returned them (incumbent first)
   * @param deltaLoss the measured Δloss of each proposal, NaN where none was measured
   */
  public Update update(List<Proposal> proposals, double[] deltaLoss) {
    double[] unknown = new double[deltaLoss.length];
    Arrays.fill(unknown, Double.NaN);
    return update(proposals, deltaLoss, unknown, 0);
  }

  /**
   * Applies one round's outcomes.
   *
   * @param proposals the round's proposals as {@link #proposals} returned them (incumbent first)
   * @param deltaLoss the measured Δloss of each proposal, NaN where none was measured
   * @param stdErr the standard error of each Δloss, NaN where not known (counted as 0)
   * @param margin how many combined standard errors a proposal's gain must exceed, ≥ 0
   */
  public Update update(
      List<Proposal> proposals, double[] deltaLoss, double[] stdErr, double margin) {
    if (proposals.isEmpty()
        || proposals.size() != deltaLoss.length
        || deltaLoss.length != stdErr.length) {
      throw new IllegalArgumentException(
          "outcome fusion: "
              + proposals.size()
              + " proposals but "
              + deltaLoss.length
              + " outcomes and "
              + stdErr.length
              + " standard errors");
    }
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("outcome fusion: margin must be >= 0, got " + margin);
    }
    if (!proposals.get(0).criteria().equals(chosen)) {
      throw new IllegalArgumentException(
          "outcome fusion: the first proposal "
              + proposals.get(0)
              + " is not the incumbent "
              + chosen);
    }
    double incumbent = deltaLoss[0];
    Map<String, Evidence> next = new TreeMap<>(evidence);
    int count = 0;
    int best = -1;
    int lowest = -1;
    for (int i = 0; i < proposals.size(); i++) {
      if (Double.isNaN(deltaLoss[i])) {
        continue;
      }
      if (!Double.isFinite(deltaLoss[i])) {
        throw new IllegalArgumentException(
            "outcome fusion: outcome of " + proposals.get(i) + " is " + deltaLoss[i]);
      }
      if (stdErr[i] < 0 || Double.isInfinite(stdErr[i])) {
        throw new IllegalArgumentException(
            "outcome fusion: standard error of " + proposals.get(i) + " is " + stdErr[i]);
      }
      count++;
      Proposal p = proposals.get(i);
      if (i > 0 && p.label().startsWith("alone:") && !Double.isNaN(incumbent)) {
        String c = p.criteria().get(0);
        next.merge(c, new Evidence(1, deltaLoss[i] - incumbent), Evidence::plus);
      }
      if (i > 0 && (lowest < 0 || deltaLoss[i] < deltaLoss[lowest])) {
        lowest = i;
      }
      boolean beatsNoise =
          i > 0
              && !Double.isNaN(incumbent)
              && incumbent - deltaLoss[i] > margin * noise(stdErr[0], stdErr[i]);
      if (beatsNoise && (best < 0 || deltaLoss[i] < deltaLoss[best])) {
        best = i;
      }
    }
    boolean moved = best > 0;
    List<String> nextChosen = moved ? proposals.get(best).criteria() : chosen;
    String summary;
    if (Double.isNaN(incumbent)) {
      summary = "incumbent " + describe(chosen) + " not measured, kept";
    } else if (moved) {
      summary =
          String.format(
              Locale.ROOT,
              "%s measured %s < incumbent %s nats/token%s, adopted",
              proposals.get(best).label(),
              measured(deltaLoss[best], stdErr[best]),
              measured(incumbent, stdErr[0]),
              beyond(margin, stdErr[0], stdErr[best]));
    } else {
      summary =
          String.format(
              Locale.ROOT,
              "incumbent %s (%s nats/token) not beaten%s, kept",
              describe(chosen),
              measured(incumbent, stdErr[0]),
              lowest > 0 && deltaLoss[lowest] < incumbent
                  ? String.format(
                      Locale.ROOT,
                      " by more than %s combined standard errors (lowest: %s %s)",
                      trim(margin),
                      proposals.get(lowest).label(),
                      measured(deltaLoss[lowest], stdErr[lowest]))
                  : "");
    }
    return new Update(new OutcomeFusion(nextChosen, next, rounds + 1, measured + count), summary);
  }

  /** {@code √(a² + b²)}, an unknown error counted as 0. */
  private static double noise(double a, double b) {
    double x = Double.isNaN(a) ? 0 : a;
    double y = Double.isNaN(b) ? 0 : b;
    return Math.sqrt(x * x + y * y);
  }

  private static String measured(double value, double stdErr) {
    return Double.isNaN(stdErr)
        ? String.format(Locale.ROOT, "%.4g", value)
        : String.format(Locale.ROOT, "%.4g ± %.2g", value, stdErr);
  }

  private static String beyond(double margin, double a, double b) {
    return Double.isNaN(a) && Double.isNaN(b) || margin == 0
        ? ""
        : " by more than " + trim(margin) + " combined standard errors";
  }

  private static String trim(double margin) {
    return margin == Math.rint(margin)
        ? String.valueOf((long) margin)
        : String.format(Locale.ROOT, "%.3g", margin);
  }

  /** {@code mean of [a, b]}, or {@code every criterion} for the empty subset. */
  public static String describe(List<String> subset) {
    return subset.isEmpty() ? "every criterion" : "mean of " + subset;
  }

  /** The next state and one line saying what the round changed. */
  public record Update(OutcomeFusion fusion, String summary) {}

  /**
   * A candidate subset.
   *
   * @param label {@code incumbent}, {@code add:c}, {@code drop:c}, {@code every} or {@code alone:c}
   * @param criteria the subset; empty = every criterion
   */
  public record Proposal(String label, List<String> criteria) {
    public Proposal {
      Objects.requireNonNull(label, "label");
      criteria = List.copyOf(criteria);
    }
  }

  /**
   * What measuring one criterion alone taught: {@code count} rounds, the sum of its regrets {@code
   * Δloss(c alone) − Δloss(incumbent)} in nats per token (negative = it did better).
   */
  public record Evidence(int count, double regretSum) {
    public Evidence {
      if (count < 1 || !Double.isFinite(regretSum)) {
        throw new IllegalArgumentException(
            "outcome evidence: count " + count + ", regret sum " + regretSum);
      }
    }

    public double meanRegret() {
      return regretSum / count;
    }

    Evidence plus(Evidence o) {
      return new Evidence(count + o.count, regretSum + o.regretSum);
    }
  }

  /**
   * Round settings.
   *
   * @param singles criteria measured alone per round (exploration), ≥ 0; default 6
   * @param additions best-evidenced criteria tried as additions to S per round, ≥ 0; default 2
   * @param maxCriteria largest S, ≥ 1; default 4
   * @param maxCandidates proposals per round, ≥ 1; default 10
   * @param prior order in which criteria never measured are explored; default {@link
   *     #EXPLORATION_PRIOR}
   * @param start S before any outcome (empty: every criterion, the default)
   * @param margin combined standard errors a proposal's measured gain must exceed to be adopted, ≥
   *     0; default 0 (any measured gain)
   */
  public record Config(
      int singles,
      int additions,
      int maxCriteria,
      int maxCandidates,
      List<String> prior,
      List<String> start,
      double margin) {
    /**
     * The criteria of the first, 64-wide compare run (docs/results/compare up to commit 36aa28c) at
     * 50 % without fine-tune, lowest perplexity first.
     */
    public static final List<String> COMPARE_PRIOR =
        List.of(
            "taylor",
            "activation_frequency",
            "activation_magnitude",
            "fisher",
            "weight_nonzero_ratio",
            "activation_entropy",
            "weight_outgoing",
            "activation_variance",
            "cooperative_uniqueness",
            "weight_l2",
            "magnitude");

    /**
     * The default exploration order: {@link #COMPARE_PRIOR} with {@code magnitude} moved up to
     * second place, so that the first round measures, next to the best one-shot criteria, the
     * criterion gradual magnitude pruning uses (Zhu &amp; Gupta, "To prune, or not to prune", 2017)
     * — the strongest baseline during training, and last in a one-shot ranking that says nothing of
     * how well a network recovers from a removal.
     */
    public static final List<String> EXPLORATION_PRIOR = magnitudeSecond();

    private static List<String> magnitudeSecond() {
      List<String> order = new ArrayList<>(COMPARE_PRIOR);
      order.remove("magnitude");
      order.add(1, "magnitude");
      return List.copyOf(order);
    }

    public Config {
      if (!(margin >= 0) || Double.isInfinite(margin)) {
        throw new IllegalArgumentException("outcome fusion: margin must be >= 0, got " + margin);
      }
      if (start.size() > maxCriteria) {
        throw new IllegalArgumentException(
            "outcome fusion: start " + start + " has more than maxCriteria " + maxCriteria);
      }
      if (singles < 0 || additions < 0 || maxCriteria < 1 || maxCandidates < 1) {
        throw new IllegalArgumentException(
            "outcome fusion: singles "
                + singles
                + " and additions "
                + additions
                + " must be >= 0, maxCriteria "
                + maxCriteria
                + " and maxCandidates "
                + maxCandidates
                + " >= 1");
      }
      prior = List.copyOf(new LinkedHashSet<>(prior));
      start = List.copyOf(new LinkedHashSet<>(start));
    }

    /** Round settings that start from every criterion and adopt any measured gain. */
    public Config(
        int singles, int additions, int maxCriteria, int maxCandidates, List<String> prior) {
      this(singles, additions, maxCriteria, maxCandidates, prior, List.of(), 0);
    }

    public static Config defaults() {
      return new Config(6, 2, 4, 10, EXPLORATION_PRIOR);
    }

    public Config withMaxCandidates(int maxCandidates) {
      return new Config(singles, additions, maxCriteria, maxCandidates, prior, start, margin);
    }

    public Config withStart(List<String> start) {
      return new Config(singles, additions, maxCriteria, maxCandidates, prior, start, margin);
    }

    public Config withMargin(double margin) {
      return new Config(singles, additions, maxCriteria, maxCandidates, prior, start, margin);
    }
  }
}
