package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.Provenance;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one {@code prunewire compare} run.
 *
 * @param embedding embedding width of the hybrid model
 * @param rnn RNN-half width of each hybrid layer
 * @param snn spiking-half width of each hybrid layer
 * @param trainSteps training windows of the checkpoint, over as many epochs of the PTB training
 *     split as they span (one epoch is 1,063 windows)
 * @param evalTokens validation tokens of every perplexity (the first ones of the split)
 * @param evalBatch parallel streams of those perplexities (more streams are faster)
 * @param oracleBatches held-out validation batches of the oracle, taken after the perplexity tokens
 * @param oracleNeurons neurons the oracle measures alone, a seeded sample stratified by layer; 0 =
 *     all
 * @param groupAblations random group ablations per fold (the learned fusion is cross-fitted on two
 *     folds)
 * @param telemetrySteps frozen training windows per telemetry pass (what the agent would see)
 * @param seeds telemetry seeds (passes over different training windows, Hutchinson vectors, dropout
 *     masks and random scores); the first decides sections 2–4
 * @param probes Hutchinson probes per curvature round
 * @param fineTuneSteps training windows of the short fixed fine-tune after pruning (the first
 *     windows of the training split)
 * @param fineTuned scorers that are fine-tuned at every fraction (fine-tuning all is costly); those
 *     of them among {@code hap}, {@code learned}, {@code probed} and {@code oracle} (scorer names)
 *     also get the snn_ratio rows
 * @param fractions pruned fractions of the hidden neurons
 * @param snnRatios HSTNN snn_ratio values (share of kept neurons that are spiking) at 50 % pruned
 * @param checkpoints pruning checkpoints of the during-training arms
 * @param agentArm the fusion and recovery steps of the during-training arm {@code agent}
 * @param costWidths layer widths of the cost scaling measurement
 * @param seed the model seed measured now: weights, dropout, oracle folds and groups
 * @param modelSeeds every model seed of the headline (a checkpoint and the during-training arms
 *     each); the full report is measured on the first
 * @param headlineOnly measure only what the headline needs on every seed, no full report
 * @param gatherOnly measure nothing: summarise what {@code out/seed-<seed>/} holds (seeds measured
 *     by other processes, finished or not) into a headline-only report
 * @param cacheDir where trained checkpoints are cached (keyed by model, budget and seed)
 * @param reuseFrom another results folder whose stored seeds are reused where they match: whole
 *     when measured with the same settings, all but the {@code agent} arm when measured with the
 *     default arm and otherwise the same settings; null = none
 * @param out results folder
 */
public record CompareSettings(
    int embedding,
    int rnn,
    int snn,
    int trainSteps,
    int evalTokens,
    int evalBatch,
    int oracleBatches,
    int oracleNeurons,
    int groupAblations,
    int telemetrySteps,
    int seeds,
    int probes,
    int fineTuneSteps,
    List<String> fineTuned,
    List<Double> fractions,
    List<Double> snnRatios,
    int checkpoints,
    AgentArm agentArm,
    List<Integer> costWidths,
    long seed,
    List<Long> modelSeeds,
    boolean headlineOnly,
    boolean gatherOnly,
    Path cacheDir,
    Path reuseFrom,
    Path out) {

  /** The fraction at which stability, the snn_ratio rule and the schedule arms are measured. */
  public static final double HALF = 0.5;

  public CompareSettings {
    positive("embedding", embedding);
    positive("rnn", rnn);
    positive("snn", snn);
    positive("train steps", trainSteps);
    positive("eval batch", evalBatch);
    positive("oracle batches", oracleBatches);
    positive("telemetry steps", telemetrySteps);
    positive("probes", probes);
    positive("fine-tune steps", fineTuneSteps);
    positive("checkpoints", checkpoints);
    if (evalTokens < 2) {
      throw new IllegalArgumentException("compare: eval tokens must be >= 2, got " + evalTokens);
    }
    if (oracleNeurons < 0) {
      throw new IllegalArgumentException(
          "compare: oracle neurons must be >= 0 (0 = every neuron), got " + oracleNeurons);
    }
    if (groupAblations < 0) {
      throw new IllegalArgumentException(
          "compare: group ablations must be >= 0, got " + groupAblations);
    }
    if (seeds < 3) {
      throw new IllegalArgumentException("compare: stability needs at least 3 seeds, got " + seeds);
    }
    if (telemetrySteps < 4) {
      throw new IllegalArgumentException(
          "compare: a telemetry pass needs at least 4 steps, got " + telemetrySteps);
    }
    fractions = List.copyOf(fractions);
    if (fractions.isEmpty() || fractions.stream().anyMatch(f -> !(f > 0 && f < 1))) {
      throw new IllegalArgumentException("compare: fractions must be in (0, 1), got " + fractions);
    }
    if (!fractions.contains(HALF)) {
      throw new IllegalArgumentException(
          "compare: fractions must include "
              + HALF
              + " (stability, snn_ratio and"
              + " schedules are measured there), got "
              + fractions);
    }
    for (int i = 1; i < fractions.size(); i++) {
      if (fractions.get(i) <= fractions.get(i - 1)) {
        throw new IllegalArgumentException("compare: fractions must ascend, got " + fractions);
      }
    }
    snnRatios = List.copyOf(snnRatios);
    if (snnRatios.stream().anyMatch(r -> !(r >= 0 && r <= 1))) {
      throw new IllegalArgumentException("compare: snn ratios must be in [0, 1], got " + snnRatios);
    }
    costWidths = List.copyOf(costWidths);
    if (costWidths.isEmpty() || costWidths.stream().anyMatch(w -> w < 2)) {
      throw new IllegalArgumentException("compare: cost widths must be >= 2, got " + costWidths);
    }
    fineTuned = List.copyOf(fineTuned);
    for (String name : fineTuned) {
      if (!Scoreboard.names().contains(name)) {
        throw new IllegalArgumentException(
            "compare: fine-tuned scorer '"
                + name
                + "' is not a scorer; scorers are "
                + Scoreboard.names());
      }
    }
    modelSeeds = List.copyOf(modelSeeds);
    if (modelSeeds.isEmpty() || modelSeeds.stream().distinct().count() != modelSeeds.size()) {
      throw new IllegalArgumentException(
          "compare: model seeds must be distinct and at least one, got " + modelSeeds);
    }
    if (!modelSeeds.contains(seed)) {
      throw new IllegalArgumentException(
          "compare: seed " + seed + " is not among the model seeds " + modelSeeds);
    }
    Objects.requireNonNull(agentArm, "agentArm");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(out, "out");
    if (reuseFrom != null
        && reuseFrom.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      // Its seeds would be overwritten by what reuses them.
      throw new IllegalArgumentException(
          "compare: --reuse-from must be another folder than --out, got "
              + reuseFrom
              + " for both");
    }
  }

  /**
   * The settings as the report's provenance shows them: without the machine's cache folder, and the
   * results folder only when it is relative.
   */
  @Override
  public String toString() {
    return "CompareSettings[embedding="
        + embedding
        + ", rnn="
        + rnn
        + ", snn="
        + snn
        + ", trainSteps="
        + trainSteps
        + ", evalTokens="
        + evalTokens
        + ", evalBatch="
        + evalBatch
        + ", oracleBatches="
        + oracleBatches
        + ", oracleNeurons="
        + oracleNeurons
        + ", groupAblations="
        + groupAblations
        + ", telemetrySteps="
        + telemetrySteps
        + ", seeds="
        + seeds
        + ", probes="
        + probes
        + ", fineTuneSteps="
        + fineTuneSteps
        + ", fineTuned="
        + fineTuned
        + ", fractions="
        + fractions
        + ", snnRatios="
        + snnRatios
        + ", checkpoints="
        + checkpoints
        + ", agentArm="
        + agentArm
        + ", costWidths="
        + costWidths
        + ", seed="
        + seed
        + ", modelSeeds="
        + modelSeeds
        + ", headlineOnly="
        + headlineOnly
        + ", gatherOnly="
        + gatherOnly
        + (reuseFrom == null ? "" : ", reuseFrom=" + Provenance.shown(reuseFrom, "reuse-from"))
        + ", out="
        + Provenance.shown(out, "out")
        + "]";
  }

  /** The same settings measuring model seed {@code modelSeed}, writing into {@code folder}. */
  CompareSettings forSeed(long modelSeed, Path folder) {
    return new CompareSettings(
        embedding,
        rnn,
        snn,
        trainSteps,
        evalTokens,
        evalBatch,
        oracleBatches,
        oracleNeurons,
        groupAblations,
        telemetrySteps,
        seeds,
        probes,
        fineTuneSteps,
        fineTuned,
        fractions,
        snnRatios,
        checkpoints,
        agentArm,
        costWidths,
        modelSeed,
        modelSeeds,
        headlineOnly,
        gatherOnly,
        cacheDir,
        reuseFrom,
        folder);
  }

  /**
   * What determines one seed's headline numbers, the seed and output folder aside: a stored seed
   * result is reused only when this matches.
   */
  String headlineIdentity() {
    return headlineIdentity(agentArm);
  }

  /**
   * Whether a seed stored with {@code identity} was measured with these settings apart from its
   * {@code agent} arm (any arm, named or not).
   */
  boolean differsAtMostInAgentArm(String identity) {
    String common = headlineIdentity(AgentArm.firstDefault(trainSteps));
    return identity.startsWith(common)
        && (identity.length() == common.length()
            || identity.startsWith(AgentArm.IDENTITY_PREFIX, common.length()));
  }

  private String headlineIdentity(AgentArm arm) {
    return "embedding="
        + embedding
        + ", rnn="
        + rnn
        + ", snn="
        + snn
        + ", trainSteps="
        + trainSteps
        + ", evalTokens="
        + evalTokens
        + ", evalBatch="
        + evalBatch
        + ", oracleBatches="
        + oracleBatches
        + ", telemetrySteps="
        + telemetrySteps
        + ", probes="
        + probes
        + ", checkpoints="
        + checkpoints
        + ", recipe="
        + Checkpoints.baseConfig()
        + arm.identity(trainSteps);
  }

  /** Hidden neurons of the two hybrid layers together. */
  public int hiddenNeurons() {
    return 2 * (rnn + snn);
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("compare: " + field + " must be >= 1, got " + v);
    }
  }
}
