package io.prunewire.service;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.scorers.fusion.AdaptiveFusion;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.fusion.FusedScores;
import io.prunewire.scorers.fusion.Fusion;
import io.prunewire.scorers.fusion.FusionGuard;
import io.prunewire.scorers.fusion.Kendall;
import io.prunewire.scorers.fusion.LearnedFusion;
import io.prunewire.scorers.fusion.OutcomeFusion;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.fusion.SimpleFusion;
import io.prunewire.scorers.fusion.SingleCriterion;
import io.prunewire.scorers.fusion.Spearman;
import io.prunewire.scorers.retention.LayerDecision;
import io.prunewire.scorers.retention.LayerScores;
import io.prunewire.scorers.retention.LowestScores;
import io.prunewire.scorers.retention.NeuronType;
import io.prunewire.scorers.retention.Retention;
import io.prunewire.scorers.retention.RetentionPolicy;
import io.prunewire.scorers.retention.RetentionRails;
import io.prunewire.scorers.schedule.SparsitySchedule;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * Turns a run's evidence into a decision: criteria → per-layer normalisation ({@link
 * LayerCriteria}) → fusion ({@link AgentConfig#fusion()}: by default the outcome fusion, whose
 * criteria the run's measured removal candidates chose; or the learned fusion fitted to the
 * ablation probes, adaptive, or a fixed-weight one) → {@link FusionGuard} (a layer whose fused
 * scores tie everywhere or whose weights are all zero falls back to the best-evidenced criterion;
 * ties never fall to the neuron index) → the retention policy ({@link AgentConfig#retention}, HSTNN
 * type-aware by default) under the safety rails, monotone (neurons pruned earlier stay pruned) →
 * {@link DecisionEvent}. The HAP criterion (Hessian trace × weight norm) is scored alongside as the
 * baseline whose held-out Spearman is reported next to the learned fusion's.
 *
 * <p>The target at a checkpoint is the agent's {@link AgentConfig#schedule()} at the checkpoint's
 * step or, by default, the run's schedule as the trainers report it: the neurons pruned so far plus
 * the checkpoint's {@code plannedRemovals}, as a fraction of the unprotected neurons. Pure: the
 * same state and evidence give the same decision, byte for byte.
 */
final class DecisionMaker {

  /** Trainer id in the header of the agent's decisions. */
  static final String AGENT_ID = "prunewire-agent";

  private final LayerCriteria criteria;

  /**
   * The fixed-weight strategy that decides, or null when the learned or the outcome fusion does.
   */
  private final Fusion fixedFusion;

  private final boolean outcome;
  private final boolean adaptiveFusion;
  private final OutcomeFusion.Config outcomeConfig;
  private final CandidateFraction candidateFraction;
  private final LearnedFusion.Config fusionConfig = LearnedFusion.Config.builder().build();
  private final RetentionRails rails;
  private final Optional<SparsitySchedule> schedule;
  private final double snnRatio;
  private final DoubleFunction<RetentionPolicy> retentionPolicy;

  DecisionMaker(AgentConfig config, LayerCriteria criteria) {
    this.criteria = criteria;
    this.fixedFusion =
        switch (config.fusion().strategy()) {
          case SIMPLE -> new SimpleFusion();
          case SEED -> new SeedFusion();
          case CRITERION -> new SingleCriterion(config.fusion().criterion().orElseThrow());
          case LEARNED, ADAPTIVE, OUTCOME -> null;
        };
    this.outcome = config.fusion().strategy() == FusionChoice.Strategy.OUTCOME;
    this.adaptiveFusion = config.fusion().strategy() == FusionChoice.Strategy.ADAPTIVE;
    this.outcomeConfig =
        OutcomeFusion.Config.defaults()
            .withMaxCandidates(config.outcome().candidates())
            .withStart(config.outcome().start())
            .withMargin(config.outcome().margin());
    this.candidateFraction = config.outcome().fraction();
    this.snnRatio = config.retention().snnRatio();
    this.retentionPolicy = config.retention()::policy;
    this.schedule = config.schedule().sparsity();
    this.rails =
        RetentionRails.builder()
            .minKeptFraction(config.rails().minKeptFraction())
            .maxRemovedFractionPerCheckpoint(config.rails().maxRemovedFraction())
            .protectedLayers(config.rails().protectedLayers())
            .build();
  }

  /** What a decision produced, with the diagnostics that go to metrics. */
  record Decided(
      DecisionEvent event,
      List<Kept> kept,
      OptionalDouble learnedSpearman,
      OptionalDouble hapSpearman,
      List<LayerFusion> layerFusion,
      long candidatesMeasured) {

    void report(AgentMetrics metrics) {
      String run = event.runId();
      for (LayerFusion l : layerFusion) {
        l.fallback().ifPresent(f -> metrics.fusionFallback(f.code()));
        metrics.layerWeights(run, l.layer(), l.weights());
        l.spearman().ifPresent(rho -> metrics.rankAgreement(run, l.layer(), "spearman", rho));
        l.kendall().ifPresent(tau -> metrics.rankAgreement(run, l.layer(), "kendall", tau));
      }
      metrics.candidatesMeasured(run, candidatesMeasured);
      kept.forEach(k -> metrics.neuronsKept(run, k.layer(), k.type(), k.count()));
      metrics.fusionWeights(run, event.fusionWeights());
      learnedSpearman.ifPresent(rho -> metrics.spearman(run, "learned", rho));
      hapSpearman.ifPresent(rho -> metrics.spearman(run, LayerCriteria.HAP, rho));
      for (DecisionEvent.LayerDecision l : event.layers()) {
        float[] s = l.scores();
        double[] d = new double[s.length];
        for (int i = 0; i < s.length; i++) {
          d[i] = s[i];
        }
        metrics.fusedScores(run, l.layer(), d);
      }
    }
  }

  /**
   * Neurons a decision keeps in one layer; {@code type} is the layer kind ({@code snn}, {@code
   * rnn}, ...).
   */
  record Kept(String layer, String type, int count) {}

  /**
   * How a layer was fused: the weights that decided it, the fallback if its fused scores carried no
   * ranking, and the agreement of its fused scores with the last round's measured outcomes.
   */
  record LayerFusion(
      String layer,
      Map<String, Double> weights,
      Optional<FusionGuard.Fallback> fallback,
      OptionalDouble spearman,
      OptionalDouble kendall) {}

  /** Whether decisions fuse by per-layer rank stability ({@code fusion=adaptive}). */
  boolean adaptive() {
    return adaptiveFusion;
  }

  /**
   * A run's outcome fusion before any outcome: {@code outcome.start}, or every criterion if the
   * agent does not compute one of its criteria.
   */
  OutcomeState newOutcomeState() {
    OutcomeState s = new OutcomeState();
    s.fusion = OutcomeFusion.starting(outcomeConfig, criteria.names());
    return s;
  }

  /** A finished round's outcomes applied to the run's fusion, with {@code outcome.margin}. */
  OutcomeFusion.Update learn(OutcomeFusion fusion, OutcomeState.Round round) {
    return fusion.update(
        round.proposals(), round.deltaLoss(), round.stdErr(), outcomeConfig.margin());
  }

  /** Whether decisions wait for trainers to measure removal candidates ({@code fusion=outcome}). */
  boolean learnsFromOutcomes() {
    return outcome;
  }

  /** The unprotected layers' neurons, and how many of them earlier decisions pruned. */
  private record Unprotected(int neurons, int pruned) {}

  private Unprotected unprotected(RunState run) {
    int neurons = 0;
    int pruned = 0;
    for (LayerSpec spec : run.layers) {
      if (!rails.isProtected(spec.name())) {
        neurons += spec.neurons();
        pruned += run.pruned.get(spec.name()).cardinality();
      }
    }
    return new Unprotected(neurons, pruned);
  }

  /**
   * The checkpoint's target sparsity of the unprotected neurons: the agent's schedule at its step,
   * or the neurons pruned so far plus the trainers' planned removals.
   */
  private double targetSparsity(Unprotected u, RunState.Barrier barrier) {
    if (schedule.isPresent()) {
      return schedule.get().sparsityAt(barrier.step);
    }
    return u.neurons() == 0
        ? 0
        : Math.min(1.0, (u.pruned() + (double) barrier.plannedRemovals) / u.neurons());
  }

  /**
   * Opens an outcome round: the fusion's proposals, each turned into a removal — per layer that is
   * not protected, the bottom {@code outcome.fraction} ({@link CandidateFraction}: fixed, or the
   * checkpoint's own planned share) of its live neurons under the proposal's fused score (ties
   * broken as decisions break them) — and the record that asks the measurers.
   *
   * @return the candidates to publish, or empty when no proposal removes anything
   */
  Optional<RemovalCandidates> openRound(
      RunState run,
      EvidenceStore evidence,
      OutcomeState state,
      Header header,
      String checkpointId,
      RunState.Barrier barrier,
      boolean timedOut,
      long openedWallMillis,
      List<String> measurers) {
    Map<String, CriterionScores> scored = new LinkedHashMap<>();
    for (LayerSpec spec : run.layers) {
      if (!rails.isProtected(spec.name())) {
        scored.put(spec.name(), criteria.score(spec, evidence.get(run.runId, spec)));
      }
    }
    Unprotected u = unprotected(run);
    int live = u.neurons() - u.pruned();
    double fraction =
        candidateFraction.at(
            live == 0 ? 0 : (targetSparsity(u, barrier) * u.neurons() - u.pruned()) / live);
    List<OutcomeFusion.Proposal> proposals =
        state.fusion.proposals(criteria.names(), outcomeConfig);
    List<FusionGuard.Ranked> order = evidenceOrder(state.fusion, null);
    List<OutcomeFusion.Proposal> kept = new ArrayList<>();
    List<Map<String, int[]>> removed = new ArrayList<>();
    List<RemovalCandidates.Candidate> candidates = new ArrayList<>();
    for (OutcomeFusion.Proposal p : proposals) {
      Fusion f = OutcomeFusion.of(p.criteria());
      Map<String, int[]> layers = new LinkedHashMap<>();
      List<AblationEvent.Removal> removals = new ArrayList<>();
      scored.forEach(
          (layer, c) -> {
            boolean[] alive = run.keep(layer);
            int[] bottom =
                LowestScores.ofAlive(
                    FusionGuard.guard(f.fuse(c), c, alive, order).scores(), alive, fraction);
            if (bottom.length > 0) {
              layers.put(layer, bottom);
              removals.add(new AblationEvent.Removal(layer, bottom));
            }
          });
      if (removals.isEmpty()) {
        // Every proposal removes the same number per layer: nothing to remove for one is nothing
        // for all.
        return Optional.empty();
      }
      candidates.add(new RemovalCandidates.Candidate(kept.size(), removals));
      kept.add(p);
      removed.add(layers);
    }
    int number = state.fusion.rounds();
    state.round =
        OutcomeState.Round.open(
            checkpointId,
            number,
            openedWallMillis,
            timedOut,
            header.timestampMillis(),
            measurers,
            kept,
            removed);
    return Optional.of(new RemovalCandidates(header, checkpointId, number, measurers, candidates));
  }

  /**
   * Fits the run's learned fusion to an ablation event: a probe within one layer enters as a group
   * (features = the sum of its neurons' normalised criteria); a probe spanning layers sums the
   * features over every removed neuron.
   *
   * @param fusionState the run's serialised fusion state, or null before its first ablation
   * @return the fusion's new serialised state
   */
  byte[] learn(RunState run, EvidenceStore evidence, byte[] fusionState, AblationEvent event) {
    LearnedFusion fusion = fusion(fusionState);
    Map<String, CriterionScores> scored = new HashMap<>();
    for (AblationEvent.Measurement m : event.measurements()) {
      Map<String, int[]> removed = new LinkedHashMap<>();
      m.removed().forEach(r -> removed.put(r.layer(), r.neurons()));
      fusion.observe(
          fusion.features(
              removed,
              name ->
                  scored.computeIfAbsent(
                      name,
                      n -> {
                        LayerSpec spec = run.layer(n).orElseThrow();
                        return criteria.score(spec, evidence.get(run.runId, spec));
                      })),
          m.deltaLoss());
    }
    return FusionStateCodec.encode(fusion.state());
  }

  /**
   * Decides a checkpoint.
   *
   * @param outcomeState the run's outcome fusion when {@code fusion=outcome}, else null
   * @param adaptive the run's adaptive fusions by layer when {@code fusion=adaptive} (updated with
   *     this decision's criteria, missing layers added), else null
   * @param finished the outcome round this decision closes, or null
   * @param fusionNote what the reason says about the fusion's evidence this time (e.g. why no round
   *     was measured), may be empty
   */
  Decided decide(
      RunState run,
      EvidenceStore evidence,
      byte[] fusionState,
      OutcomeState outcomeState,
      Map<String, AdaptiveFusion> adaptive,
      OutcomeState.Round finished,
      String fusionNote,
      Header header,
      String checkpointId,
      RunState.Barrier barrier,
      List<String> missing,
      boolean timedOut) {
    LearnedFusion learned = fusion(fusionState);
    Fusion fusion = outcome ? outcomeState.fusion : fixedFusion == null ? learned : fixedFusion;
    List<FusionGuard.Ranked> order = evidenceOrder(outcome ? outcomeState.fusion : null, learned);
    List<LayerScores> layers = new ArrayList<>();
    Map<String, double[]> fused = new LinkedHashMap<>();
    Map<String, String> guardNotes = new LinkedHashMap<>();
    List<LayerFusion> layerFusion = new ArrayList<>();
    Map<String, Double> weights = Map.of();
    for (LayerSpec spec : run.layers) {
      LayerEvidence ev = evidence.get(run.runId, spec);
      CriterionScores scores = criteria.score(spec, ev);
      FusedScores f;
      if (adaptive != null) {
        AdaptiveFusion a =
            adaptive.computeIfAbsent(
                spec.name(), n -> AdaptiveFusion.withSmoothing(AdaptiveStates.SMOOTHING));
        a.update(scores);
        f = a.fuse(scores);
      } else {
        f = fusion.fuse(scores);
      }
      boolean[] alive = run.keep(spec.name());
      FusionGuard.Guarded g = FusionGuard.guard(f, scores, alive, order);
      weights = f.weights();
      double[] decided = g.scores();
      fused.put(spec.name(), decided);
      guardNotes.put(spec.name(), g.describe());
      Map<String, Double> layerWeights =
          g.fallback().isEmpty()
              ? f.weights()
              : g.criterion().map(c -> Map.of(c.criterion(), 1.0)).orElse(Map.of());
      layerFusion.add(agreement(spec.name(), layerWeights, g.fallback(), decided, finished));
      NeuronType type = spec.kind() == LayerKind.SNN ? NeuronType.SPIKING : NeuronType.ANALOG;
      NeuronType[] types = new NeuronType[spec.neurons()];
      Arrays.fill(types, type);
      LayerScores.Builder b = LayerScores.builder(spec.name(), decided).types(types).alive(alive);
      if (type == NeuronType.SPIKING && ev.activation().isPresent()) {
        b.firingCounts(ev.activation().get().nonZero().countArray());
      }
      layers.add(b.build());
    }
    Unprotected u = unprotected(run);
    int eligible = u.neurons();
    int prunedBefore = u.pruned();
    double sparsity = targetSparsity(u, barrier);
    Retention retention = retentionPolicy.apply(sparsity).select(layers, rails);

    List<DecisionEvent.LayerDecision> decided = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    StringBuilder reason =
        new StringBuilder()
            .append(retention.policy())
            .append(" retention, target sparsity ")
            .append(String.format(Locale.ROOT, "%.4f", sparsity))
            .append(
                schedule.isPresent()
                    ? " ("
                        + schedule.get().name()
                        + " schedule at step "
                        + barrier.step
                        + ", "
                        + prunedBefore
                        + " of "
                        + eligible
                        + " pruned before)"
                    : " ("
                        + prunedBefore
                        + " pruned before + "
                        + barrier.plannedRemovals
                        + " planned of "
                        + eligible
                        + ")")
            .append(", snn_ratio ")
            .append(snnRatio)
            .append(", ")
            .append(adaptive != null ? "adaptive" : fusion.name())
            .append(" fusion");
    if (outcome) {
      OutcomeFusion o = outcomeState.fusion;
      reason
          .append(" (")
          .append(OutcomeFusion.describe(o.chosen()))
          .append(", learned from ")
          .append(o.measured())
          .append(" measured removals in ")
          .append(o.rounds())
          .append(" rounds");
    } else if (adaptive != null) {
      reason.append(" (weights from rank stability between this run's decisions");
    } else if (fixedFusion != null) {
      reason.append(" (fixed weights, nothing learned");
    } else {
      reason.append(" (learned fitted to ").append(learned.trainingCount()).append(" ablations");
    }
    reason.append(fusionNote.isEmpty() ? "" : "; " + fusionNote).append(")");
    if (timedOut) {
      reason.append("; barrier timed out without ").append(missing);
    } else if (!missing.isEmpty()) {
      reason
          .append("; decided without lapsed trainers ")
          .append(missing)
          .append(" (they missed an earlier checkpoint)");
    }
    for (int l = 0; l < run.layers.size(); l++) {
      LayerSpec spec = run.layers.get(l);
      LayerDecision d = retention.layer(spec.name());
      double[] s = fused.get(spec.name());
      float[] scores = new float[s.length];
      for (int i = 0; i < s.length; i++) {
        scores[i] = (float) s[i];
      }
      decided.add(new DecisionEvent.LayerDecision(spec.name(), d.keep(), scores));
      kept.add(new Kept(spec.name(), spec.kind().name().toLowerCase(Locale.ROOT), d.keptCount()));
      reason.append("; ").append(spec.name()).append(": ").append(d.summary());
      String guard = guardNotes.get(spec.name());
      if (!guard.isEmpty()) {
        reason.append(", ").append(guard);
      }
      LayerFusion lf = layerFusion.get(l);
      if (lf.spearman().isPresent() || lf.kendall().isPresent()) {
        reason.append(
            String.format(
                Locale.ROOT,
                ", rank agreement with the round's outcomes: Spearman %s, Kendall %s",
                format(lf.spearman()),
                format(lf.kendall())));
      }
    }
    DecisionEvent event =
        new DecisionEvent(header, checkpointId, decided, weights, reason.toString(), missing);
    OptionalDouble hap =
        learned.criteria().contains(LayerCriteria.HAP)
            ? learned.heldOutSpearman(LayerCriteria.HAP)
            : OptionalDouble.empty();
    return new Decided(
        event,
        kept,
        learned.heldOutSpearman(),
        hap,
        layerFusion,
        outcome ? outcomeState.fusion.measured() : 0);
  }

  private static String format(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsDouble()) : "n/a";
  }

  /**
   * Agreement of a layer's decided scores with a round's outcomes: over the measured candidates
   * that removed neurons of the layer, Spearman and Kendall τ-b between the sum of the scores of
   * the neurons each removed there and its measured loss increase. Higher scores mean "keep", so a
   * fused ranking that predicts the damage correlates positively. Empty without a round, with fewer
   * than three measured candidates, or when either side is constant.
   */
  private static LayerFusion agreement(
      String layer,
      Map<String, Double> weights,
      Optional<FusionGuard.Fallback> fallback,
      double[] scores,
      OutcomeState.Round round) {
    List<double[]> pairs = new ArrayList<>();
    if (round != null) {
      for (int k = 0; k < round.deltaLoss().length; k++) {
        int[] removed = round.removed().get(k).get(layer);
        if (removed != null && !Double.isNaN(round.deltaLoss()[k])) {
          double sum = 0;
          for (int i : removed) {
            sum += scores[i];
          }
          pairs.add(new double[] {sum, round.deltaLoss()[k]});
        }
      }
    }
    if (pairs.size() < 3) {
      return new LayerFusion(
          layer, weights, fallback, OptionalDouble.empty(), OptionalDouble.empty());
    }
    double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
    return new LayerFusion(
        layer, weights, fallback, defined(Spearman.of(x, y)), defined(Kendall.tauB(x, y)));
  }

  private static OptionalDouble defined(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Criteria by measured evidence, best first, for fallbacks and tie-breaking: (1) criteria the
   * outcome fusion measured alone, lowest mean regret first; (2) criteria whose held-out Spearman
   * against the run's ablation probes is positive, highest first; (3) the prior order of the first
   * compare run ({@link OutcomeFusion.Config#COMPARE_PRIOR}); (4) the registry order.
   */
  private List<FusionGuard.Ranked> evidenceOrder(
      OutcomeFusion outcomeFusion, LearnedFusion learned) {
    Map<String, FusionGuard.Ranked> order = new LinkedHashMap<>();
    if (outcomeFusion != null) {
      for (String c : outcomeFusion.ranked()) {
        OutcomeFusion.Evidence e = outcomeFusion.evidence().get(c);
        order.putIfAbsent(
            c,
            new FusionGuard.Ranked(
                c,
                String.format(
                    Locale.ROOT,
                    "best measured evidence: mean outcome regret %+.4g nats/token over %d rounds",
                    e.meanRegret(),
                    e.count())));
      }
    }
    if (learned != null) {
      List<Map.Entry<String, Double>> rho = new ArrayList<>();
      for (String c : learned.criteria()) {
        OptionalDouble r = learned.heldOutSpearman(c);
        if (r.isPresent() && r.getAsDouble() > 0) {
          rho.add(Map.entry(c, r.getAsDouble()));
        }
      }
      rho.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      rho.forEach(
          e ->
              order.putIfAbsent(
                  e.getKey(),
                  new FusionGuard.Ranked(
                      e.getKey(),
                      String.format(
                          Locale.ROOT,
                          "held-out Spearman %.3f against %d ablation probes",
                          e.getValue(),
                          learned.trainingCount()))));
    }
    for (String c : OutcomeFusion.Config.COMPARE_PRIOR) {
      if (criteria.names().contains(c)) {
        order.putIfAbsent(
            c,
            new FusionGuard.Ranked(
                c,
                "no measured evidence yet: prior order (single criteria at 50 % in the first compare run)"));
      }
    }
    for (String c : criteria.names()) {
      order.putIfAbsent(c, new FusionGuard.Ranked(c, "no measured evidence yet: registry order"));
    }
    return List.copyOf(order.values());
  }

  private LearnedFusion fusion(byte[] state) {
    return state == null
        ? LearnedFusion.create(fusionConfig, criteria.names())
        : LearnedFusion.restore(fusionConfig, FusionStateCodec.decode(state));
  }
}
