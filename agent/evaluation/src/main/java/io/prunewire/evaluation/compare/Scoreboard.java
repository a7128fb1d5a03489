package io.prunewire.evaluation.compare;

import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import io.prunewire.scorers.criteria.Source;
import io.prunewire.scorers.fusion.AdaptiveFusion;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.fusion.Fusion;
import io.prunewire.scorers.fusion.LearnedFusion;
import io.prunewire.scorers.fusion.OutcomeFusion;
import io.prunewire.scorers.fusion.ProbedFusion;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.fusion.SimpleFusion;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Every scorer of one telemetry pass, per layer: each criterion of the registry (raw and normalised
 * within its layer, as the agent normalises), the five fusion strategies over the normalised
 * criteria, and the oracle. The learned fusion is cross-fitted: fitted on the ablations of one fold
 * of neurons, it scores the other fold, so no neuron is scored by a fit that saw it. The probed
 * fusion chooses its criteria by the held-out damage of the removals they propose.
 */
final class Scoreboard {

  /** Rounds of the offline outcome fusion: the during-training arms' checkpoints by default. */
  static final int OUTCOME_ROUNDS = 4;

  /**
   * Value of a criterion without evidence in a layer: the agent's "no information" (see
   * RegistryCriteria).
   */
  static final double NO_INFORMATION = 0.5;

  /**
   * One scorer's per-layer scores (higher = keep).
   *
   * @param raw raw criterion scores, {@code null} for fusions and for layers without the evidence
   */
  record Scorer(
      String name,
      String kind,
      String family,
      Map<String, double[]> normalised,
      Map<String, double[]> raw) {}

  /** A progressive-validation stage: the criteria whose evidence lies within {@code sources}. */
  record Stage(String name, Set<Source> sources) {}

  static final List<Stage> STAGES =
      List.of(
          new Stage("weights", Set.of(Source.WEIGHTS)),
          new Stage("+ activations", Set.of(Source.WEIGHTS, Source.ACTIVATIONS)),
          new Stage(
              "+ gradients",
              Set.of(Source.WEIGHTS, Source.ACTIVATIONS, Source.GRADIENTS, Source.GATES)),
          new Stage("full (+ curvature)", Set.of(Source.values())));

  private final List<LayerSpec> specs;
  private final Normalizer normalizer;
  private final GroundTruth truth;
  private final Criteria criteria;
  private final Map<String, LayerEvidence> evidence;
  private final List<Map<String, LayerEvidence>> snapshots;
  private final ToDoubleFunction<Map<String, double[]>> removalDamage;

  /**
   * @param truth the oracle's measurements; {@code null} when only {@link #headline()} is asked for
   * @param removalDamage per-layer scores → the held-out Δloss of removing what they select at
   *     {@link CompareSettings#HALF}, the fraction the probed fusion is chosen for
   */
  Scoreboard(
      TelemetryPass.Telemetry telemetry,
      GroundTruth truth,
      Normalizer normalizer,
      ToDoubleFunction<Map<String, double[]>> removalDamage) {
    this.specs = telemetry.layers();
    this.normalizer = normalizer;
    this.truth = truth;
    this.criteria = Criteria.builder().randomSeed(telemetry.seed()).build();
    this.evidence = telemetry.evidence();
    this.snapshots = telemetry.snapshots();
    this.removalDamage = removalDamage;
  }

  /** Every scorer {@link #all} can return, in its order: the criteria, the fusions, the oracle. */
  static List<String> names() {
    List<String> names = new ArrayList<>(Criteria.defaults().names());
    names.addAll(
        List.of(
            "simple",
            "seed",
            "adaptive",
            Names.LEARNED,
            Names.PROBED,
            Names.OUTCOME,
            Names.ORACLE));
    return names;
  }

  /** Criteria, then fusions, then the oracle (unless it measured only a sample of the neurons). */
  List<Scorer> all() {
    List<Scorer> out = criteria();
    List<String> fused = criteriaOf(Set.of(Source.values()));
    Map<String, CriterionScores> inputs = inputs(evidence, fused);
    out.add(fusion(new SimpleFusion(), inputs, "equal weights"));
    out.add(fusion(new SeedFusion(), inputs, "the proposal's fixed family weights"));
    out.add(adaptive(fused));
    out.add(
        new Scorer(
            Names.LEARNED,
            "fusion",
            "ridge fit to ablations, cross-fitted on two folds",
            learned(inputs, fused),
            null));
    out.add(probed(inputs, fused));
    out.add(outcome(inputs, fused));
    if (!truth.sampled) {
      // A sampled oracle scores only some neurons: it cannot choose what to prune.
      Map<String, double[]> oracleNormalised = new LinkedHashMap<>();
      truth.singles.forEach(
          (layer, d) -> oracleNormalised.put(layer, normalizer.normalize(layer, d)));
      out.add(
          new Scorer(
              Names.ORACLE,
              Names.ORACLE,
              "single-ablation Δloss on held-out batches",
              oracleNormalised,
              truth.singles));
    }
    return out;
  }

  /**
   * What the headline needs, no oracle read: every criterion; the agent's default fusion; the other
   * update rules, read from the same measured rounds ({@link #outcomeRules}); and the offline
   * forward selection {@code probed}, which measures many more removals.
   */
  List<Scorer> headline() {
    List<Scorer> out = criteria();
    List<String> fused = criteriaOf(Set.of(Source.values()));
    Map<String, CriterionScores> inputs = inputs(evidence, fused);
    out.addAll(outcomeRules(inputs, fused));
    out.add(probed(inputs, fused));
    return out;
  }

  /** The scorer names {@link #headline()} returns, in its order. */
  static List<String> headlineNames() {
    List<String> names = new ArrayList<>(Criteria.defaults().names());
    names.addAll(Names.OUTCOME_RULES);
    names.add(Names.PROBED);
    return names;
  }

  /** Every criterion of the registry, raw and normalised within its layer. */
  private List<Scorer> criteria() {
    List<Scorer> out = new ArrayList<>();
    for (Criterion c : criteria.all()) {
      Map<String, double[]> raw = new LinkedHashMap<>();
      Map<String, double[]> normalised = new LinkedHashMap<>();
      for (LayerSpec l : specs) {
        LayerEvidence ev = evidence.get(l.name());
        double[] r = c.available(ev) ? c.score(ev) : null;
        raw.put(l.name(), r);
        normalised.put(
            l.name(), r == null ? filled(l.neurons()) : normalizer.normalize(l.name(), r));
      }
      out.add(
          new Scorer(
              c.name(),
              "criterion",
              c.family().name().toLowerCase(java.util.Locale.ROOT),
              normalised,
              raw));
    }
    return out;
  }

  /** Simple and learned fusion of each progressive stage's criteria. */
  List<Scorer> progressive() {
    List<Scorer> out = new ArrayList<>();
    for (Stage stage : STAGES) {
      List<String> names = criteriaOf(stage.sources());
      Map<String, CriterionScores> inputs = inputs(evidence, names);
      out.add(fusion(new SimpleFusion(), inputs, stage.name()));
      out.add(new Scorer(Names.LEARNED, "fusion", stage.name(), learned(inputs, names), null));
    }
    return out;
  }

  /**
   * The criteria whose evidence lies within {@code sources}, without the random baseline (fusions
   * never weigh it).
   */
  static List<String> criteriaOf(Set<Source> sources) {
    return Criteria.defaults().all().stream()
        .filter(c -> !c.name().equals("random") && sources.containsAll(c.sources()))
        .map(Criterion::name)
        .toList();
  }

  private Map<String, CriterionScores> inputs(Map<String, LayerEvidence> ev, List<String> names) {
    Map<String, CriterionScores> in = new LinkedHashMap<>();
    for (LayerSpec l : specs) {
      Map<String, double[]> byCriterion = new LinkedHashMap<>();
      for (String name : names) {
        Criterion c = criteria.get(name);
        LayerEvidence e = ev.get(l.name());
        byCriterion.put(
            name,
            c.available(e) ? normalizer.normalize(l.name(), c.score(e)) : filled(l.neurons()));
      }
      in.put(l.name(), CriterionScores.of(l.name(), byCriterion));
    }
    return in;
  }

  private Scorer fusion(Fusion f, Map<String, CriterionScores> inputs, String family) {
    return new Scorer(
        f.name(), "fusion", family, perLayer(l -> f.fuse(inputs.get(l)).scores()), null);
  }

  /** One adaptive fusion per layer, updated with the criteria at every publish of the pass. */
  private Scorer adaptive(List<String> names) {
    Map<String, AdaptiveFusion> byLayer = new LinkedHashMap<>();
    specs.forEach(l -> byLayer.put(l.name(), AdaptiveFusion.withSmoothing(0.3)));
    for (Map<String, LayerEvidence> snapshot : snapshots) {
      Map<String, CriterionScores> at = inputs(snapshot, names);
      byLayer.forEach((layer, f) -> f.update(at.get(layer)));
    }
    Map<String, CriterionScores> now = inputs(evidence, names);
    byLayer.forEach((layer, f) -> f.update(now.get(layer)));
    return new Scorer(
        "adaptive",
        "fusion",
        "weights from rank stability between publishes",
        perLayer(l -> byLayer.get(l).fuse(now.get(l)).scores()),
        null);
  }

  /**
   * The learned fusion, cross-fitted: fold f's fit (its neurons' single ablations and its groups)
   * scores the neurons of the other fold.
   */
  private Map<String, double[]> learned(Map<String, CriterionScores> inputs, List<String> names) {
    List<Map<String, double[]>> byFold = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      LearnedFusion fit = LearnedFusion.create(LearnedFusion.Config.builder().build(), names);
      for (LayerSpec l : specs) {
        int[] fold = truth.folds.get(l.name());
        double[] d = truth.singles.get(l.name());
        for (int i = 0; i < fold.length; i++) {
          if (fold[i] == f && !Double.isNaN(d[i])) {
            fit.observeNeuron(inputs.get(l.name()), i, d[i]);
          }
        }
      }
      for (GroundTruth.Group g : truth.groups) {
        if (g.fold() == f) {
          Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
          g.members()
              .forEach(
                  m ->
                      byLayer
                          .computeIfAbsent(specs.get(m[0]).name(), k -> new ArrayList<>())
                          .add(m[1]));
          Map<String, int[]> removed = new LinkedHashMap<>();
          byLayer.forEach(
              (layer, neurons) ->
                  removed.put(layer, neurons.stream().mapToInt(Integer::intValue).toArray()));
          fit.observe(fit.features(removed, inputs::get), g.deltaLoss());
        }
      }
      byFold.add(perLayer(l -> fit.fuse(inputs.get(l)).scores()));
    }
    return perLayer(
        l -> {
          int[] fold = truth.folds.get(l);
          double[] s = new double[fold.length];
          for (int i = 0; i < s.length; i++) {
            s[i] = byFold.get(1 - fold[i]).get(l)[i];
          }
          return s;
        });
  }

  /**
   * The probed fusion: forward selection of criteria by the held-out damage of the removals they
   * select.
   */
  private Scorer probed(Map<String, CriterionScores> inputs, List<String> names) {
    long start = System.nanoTime();
    ProbedFusion.Search search =
        ProbedFusion.search(
            names,
            candidate ->
                removalDamage.applyAsDouble(perLayer(l -> candidate.fuse(inputs.get(l)).scores())),
            ProbedFusion.Config.builder().build());
    String family =
        String.format(
            java.util.Locale.ROOT,
            "mean of %s, chosen by %d held-out removals of %s (%.0f s)",
            String.join(" + ", search.fusion().chosen()),
            search.trials().size(),
            Cells.percent(CompareSettings.HALF),
            (System.nanoTime() - start) / 1e9);
    return new Scorer(
        Names.PROBED,
        "fusion",
        family,
        perLayer(l -> search.fusion().fuse(inputs.get(l)).scores()),
        null);
  }

  /**
   * The agent's outcome fusion, offline: {@link #OUTCOME_ROUNDS} rounds of its proposals on the
   * frozen checkpoint, each proposal judged like the probed fusion's candidates (held-out Δloss of
   * the removal it selects at {@link CompareSettings#HALF}).
   */
  private Scorer outcome(Map<String, CriterionScores> inputs, List<String> names) {
    return outcomeRules(inputs, names).get(0);
  }

  /**
   * Three update rules read from the same {@link #OUTCOME_ROUNDS} measured rounds, so that they
   * differ only in how they use the outcomes: {@link Names#OUTCOME} (the agent's subset search:
   * adopt the measured proposal that beat the incumbent), {@link Names#OUTCOME_BEST} (a greedy
   * bandit: the one criterion with the lowest mean regret) and {@link Names#OUTCOME_TOP3} (the mean
   * of the three criteria with the lowest mean regret). The rounds start where the agent's do by
   * default ({@code outcome.start}); one held-out Δloss per proposal carries no standard error, so
   * any measured gain counts. Without any evidence the last two fall back to every criterion.
   */
  private List<Scorer> outcomeRules(Map<String, CriterionScores> inputs, List<String> names) {
    long start = System.nanoTime();
    OutcomeFusion f = OutcomeFusion.starting(OutcomeFusion.Config.defaults(), names);
    for (int round = 0; round < OUTCOME_ROUNDS; round++) {
      List<OutcomeFusion.Proposal> proposals = f.proposals(names, OutcomeFusion.Config.defaults());
      double[] d = new double[proposals.size()];
      for (int k = 0; k < d.length; k++) {
        Fusion candidate = OutcomeFusion.of(proposals.get(k).criteria());
        d[k] = removalDamage.applyAsDouble(perLayer(l -> candidate.fuse(inputs.get(l)).scores()));
      }
      f = f.update(proposals, d).fusion();
    }
    String rounds =
        String.format(
            java.util.Locale.ROOT,
            "chosen in %d rounds of %d held-out removals of %s (%.0f s)",
            f.rounds(),
            f.measured(),
            Cells.percent(CompareSettings.HALF),
            (System.nanoTime() - start) / 1e9);
    List<String> ranked = f.ranked();
    List<Scorer> out = new ArrayList<>();
    out.add(subsetScorer(Names.OUTCOME, f.chosen(), rounds, inputs));
    out.add(
        subsetScorer(
            Names.OUTCOME_BEST, ranked.subList(0, Math.min(1, ranked.size())), rounds, inputs));
    out.add(
        subsetScorer(
            Names.OUTCOME_TOP3, ranked.subList(0, Math.min(3, ranked.size())), rounds, inputs));
    return out;
  }

  private Scorer subsetScorer(
      String name, List<String> subset, String rounds, Map<String, CriterionScores> inputs) {
    Fusion fusion = OutcomeFusion.of(subset);
    return new Scorer(
        name,
        "fusion",
        OutcomeFusion.describe(subset) + ", " + rounds,
        perLayer(l -> fusion.fuse(inputs.get(l)).scores()),
        null);
  }

  private Map<String, double[]> perLayer(Function<String, double[]> score) {
    Map<String, double[]> out = new LinkedHashMap<>();
    specs.forEach(l -> out.put(l.name(), score.apply(l.name())));
    return out;
  }

  private static double[] filled(int n) {
    double[] s = new double[n];
    Arrays.fill(s, NO_INFORMATION);
    return s;
  }
}
