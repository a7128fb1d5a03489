package io.prunewire.service;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.fusion.FusedScores;
import io.prunewire.scorers.fusion.Fusion;
import io.prunewire.scorers.fusion.LearnedFusion;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.fusion.SimpleFusion;
import io.prunewire.scorers.fusion.SingleCriterion;
import io.prunewire.scorers.retention.LayerDecision;
import io.prunewire.scorers.retention.LayerScores;
import io.prunewire.scorers.retention.NeuronType;
import io.prunewire.scorers.retention.Retention;
import io.prunewire.scorers.retention.RetentionRails;
import io.prunewire.scorers.retention.TypeAware;
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

/**
 * Turns a run's evidence into a decision: criteria → per-layer normalisation ({@link
 * LayerCriteria}) → fusion (by default the learned fusion fitted to the run's ablation
 * measurements; {@link AgentConfig#fusion()} can select a fixed-weight one) → HSTNN type-aware
 * retention under the safety rails, monotone (neurons pruned earlier stay pruned) → {@link
 * DecisionEvent}. The HAP criterion (Hessian trace × weight norm) is scored alongside as the
 * baseline whose held-out Spearman is reported next to the learned fusion's.
 *
 * <p>The target at a checkpoint is the agent's {@link AgentConfig#schedule()} at the
 * checkpoint's step or, by default, the run's schedule as the trainers report it: the neurons
 * pruned so far plus the checkpoint's {@code plannedRemovals}, as a fraction of the unprotected
 * neurons. Pure: the same state and evidence give the same decision, byte for byte.
 */
final class DecisionMaker {

  /** Trainer id in the header of the agent's decisions. */
  static final String AGENT_ID = "prunewire-agent";

  private final LayerCriteria criteria;
  /** The fixed-weight strategy that decides, or null when the learned fusion does. */
  private final Fusion fixedFusion;
  private final LearnedFusion.Config fusionConfig = LearnedFusion.Config.builder().build();
  private final RetentionRails rails;
  private final Optional<SparsitySchedule> schedule;
  private final double snnRatio;

  DecisionMaker(AgentConfig config, LayerCriteria criteria) {
    this.criteria = criteria;
    this.fixedFusion = switch (config.fusion()) {
      case "simple" -> new SimpleFusion();
      case "seed" -> new SeedFusion();
      case "learned" -> null;
      default -> new SingleCriterion(config.fusion().substring(SingleCriterion.PREFIX.length()));
    };
    this.snnRatio = config.snnRatio();
    this.schedule = config.schedule();
    this.rails = RetentionRails.builder()
        .minKeptFraction(config.minKeptFraction())
        .maxRemovedFractionPerCheckpoint(config.maxRemovedFraction())
        .protectedLayers(config.protectedLayers())
        .build();
  }

  /** What a decision produced, with the diagnostics that go to metrics. */
  record Decided(DecisionEvent event, List<Kept> kept, OptionalDouble learnedSpearman,
      OptionalDouble hapSpearman) {

    void report(AgentMetrics metrics) {
      String run = event.runId();
      kept.forEach(k -> metrics.neuronsKept(run, k.layer(), k.type(), k.count()));
      event.fusionWeights().forEach((c, w) -> metrics.fusionWeight(run, c, w));
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

  /** Neurons a decision keeps in one layer; {@code type} is the layer kind ({@code snn}, {@code rnn}, ...). */
  record Kept(String layer, String type, int count) {}

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
      fusion.observe(fusion.features(removed, name -> scored.computeIfAbsent(name, n -> {
        LayerSpec spec = run.layer(n).orElseThrow();
        return criteria.score(spec, evidence.get(run.runId, spec));
      })), m.deltaLoss());
    }
    return FusionStateCodec.encode(fusion.state());
  }

  Decided decide(RunState run, EvidenceStore evidence, byte[] fusionState, Header header,
      String checkpointId, RunState.Barrier barrier, List<String> missing, boolean timedOut) {
    LearnedFusion learned = fusion(fusionState);
    Fusion fusion = fixedFusion == null ? learned : fixedFusion;
    List<LayerScores> layers = new ArrayList<>();
    Map<String, double[]> fused = new LinkedHashMap<>();
    Map<String, Double> weights = Map.of();
    int eligible = 0;
    int prunedBefore = 0;
    for (LayerSpec spec : run.layers) {
      LayerEvidence ev = evidence.get(run.runId, spec);
      FusedScores f = fusion.fuse(criteria.score(spec, ev));
      weights = f.weights();
      fused.put(spec.name(), f.scores());
      NeuronType type = spec.kind() == LayerKind.SNN ? NeuronType.SPIKING : NeuronType.ANALOG;
      NeuronType[] types = new NeuronType[spec.neurons()];
      Arrays.fill(types, type);
      LayerScores.Builder b = LayerScores.builder(spec.name(), f.scores())
          .types(types).alive(run.keep(spec.name()));
      if (type == NeuronType.SPIKING && ev.activation().isPresent()) {
        b.firingCounts(ev.activation().get().nonZero().countArray());
      }
      layers.add(b.build());
      if (!rails.isProtected(spec.name())) {
        eligible += spec.neurons();
        prunedBefore += run.pruned.get(spec.name()).cardinality();
      }
    }
    double sparsity = schedule.isPresent()
        ? schedule.get().sparsityAt(barrier.step)
        : eligible == 0
            ? 0 : Math.min(1.0, (prunedBefore + (double) barrier.plannedRemovals) / eligible);
    Retention retention = new TypeAware(sparsity, snnRatio).select(layers, rails);

    List<DecisionEvent.LayerDecision> decided = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    StringBuilder reason = new StringBuilder()
        .append(retention.policy()).append(" retention, target sparsity ")
        .append(String.format(Locale.ROOT, "%.4f", sparsity))
        .append(schedule.isPresent()
            ? " (" + schedule.get().name() + " schedule at step " + barrier.step + ", "
                + prunedBefore + " of " + eligible + " pruned before)"
            : " (" + prunedBefore + " pruned before + " + barrier.plannedRemovals + " planned of "
                + eligible + ")")
        .append(", snn_ratio ").append(snnRatio).append(", ").append(fusion.name())
        .append(" fusion (learned fitted to ").append(learned.trainingCount()).append(" ablations)");
    if (timedOut) {
      reason.append("; barrier timed out without ").append(missing);
    } else if (!missing.isEmpty()) {
      reason.append("; decided without lapsed trainers ").append(missing)
          .append(" (they missed an earlier checkpoint)");
    }
    for (LayerSpec spec : run.layers) {
      LayerDecision d = retention.layer(spec.name());
      double[] s = fused.get(spec.name());
      float[] scores = new float[s.length];
      for (int i = 0; i < s.length; i++) {
        scores[i] = (float) s[i];
      }
      decided.add(new DecisionEvent.LayerDecision(spec.name(), d.keep(), scores));
      kept.add(new Kept(spec.name(), spec.kind().name().toLowerCase(Locale.ROOT), d.keptCount()));
      reason.append("; ").append(spec.name()).append(": ").append(d.summary());
    }
    DecisionEvent event = new DecisionEvent(
        header, checkpointId, decided, weights, reason.toString(), missing);
    OptionalDouble hap = learned.criteria().contains(LayerCriteria.HAP)
        ? learned.heldOutSpearman(LayerCriteria.HAP) : OptionalDouble.empty();
    return new Decided(event, kept, learned.heldOutSpearman(), hap);
  }

  private LearnedFusion fusion(byte[] state) {
    return state == null
        ? LearnedFusion.create(fusionConfig, criteria.names())
        : LearnedFusion.restore(fusionConfig, FusionStateCodec.decode(state));
  }
}
