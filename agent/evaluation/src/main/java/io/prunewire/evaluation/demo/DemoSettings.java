package io.prunewire.evaluation.demo;

import io.prunewire.trainer.model.WorkloadConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one {@code prunewire demo} run.
 *
 * @param embedding embedding width
 * @param rnn RNN-half width of each hybrid layer
 * @param snn spiking-half width of each hybrid layer
 * @param steps training windows (bptt × batch tokens each) over the PTB training split, several
 *     epochs when they span them; see {@link #trainedSteps()}
 * @param checkpoints pruning checkpoints, evenly spaced so that fine-tuning follows the last one
 * @param target final share of hidden neurons removed (cubic schedule, Zhu &amp; Gupta 2017)
 * @param snnRatio share of the kept neurons that are spiking
 * @param evalTokens validation tokens for the perplexities (the probe batch comes from the test
 *     split)
 * @param evalBatch parallel streams of those perplexities (the reference uses 10; more streams are
 *     faster and differ only in where the carried RNN state restarts)
 * @param singles single-neuron ablations per checkpoint
 * @param groups group ablations per checkpoint (each the size of the checkpoint's removals)
 * @param probes Hutchinson probes per curvature round
 * @param seed seed of weights, dropout, probes and ablation sampling
 * @param metricsPort port of the agent's {@code /metrics} on 127.0.0.1 (0: any free port)
 * @param report Markdown report path; the JSON goes next to it
 * @param recipe batch, bptt, optimiser and dropout of the training (widths, vocabulary and seed
 *     come from these settings)
 * @param fusion the agent's decision strategy ({@code learned}, {@code simple}, {@code seed} or
 *     {@code criterion:<name>}, see the agent's {@code fusion} setting)
 * @param recoverySteps steps of recovery, from the training optimiser's state, before each removal
 *     candidate of the outcome fusion is measured (0 by default in {@code prunewire demo}, which
 *     measures the immediate damage)
 * @param recoveryWindows where the recovery steps train (test windows 2-5 by default)
 */
public record DemoSettings(
    int embedding,
    int rnn,
    int snn,
    int steps,
    int checkpoints,
    double target,
    double snnRatio,
    int evalTokens,
    int evalBatch,
    int singles,
    int groups,
    int probes,
    long seed,
    int metricsPort,
    Path report,
    WorkloadConfig recipe,
    String fusion,
    int recoverySteps,
    RecoveryWindows recoveryWindows) {

  public DemoSettings {
    positive("embedding", embedding);
    positive("rnn", rnn);
    positive("snn", snn);
    positive("checkpoints", checkpoints);
    positive("probes", probes);
    positive("eval batch", evalBatch);
    if (recoverySteps < 0) {
      throw new IllegalArgumentException("demo: recovery steps must be >= 0, got " + recoverySteps);
    }
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("demo: target sparsity must be in (0, 1), got " + target);
    }
    if (!(snnRatio >= 0 && snnRatio <= 1)) {
      throw new IllegalArgumentException("demo: snn ratio must be in [0, 1], got " + snnRatio);
    }
    if (steps < 2 * (checkpoints + 1)) {
      throw new IllegalArgumentException(
          "demo: "
              + steps
              + " steps are too few for "
              + checkpoints
              + " checkpoints (need at least 2 steps per checkpoint and 2 of fine-tuning after the last)");
    }
    if (evalTokens < 2) {
      throw new IllegalArgumentException("demo: eval tokens must be >= 2, got " + evalTokens);
    }
    if (singles < 0 || groups < 0) {
      throw new IllegalArgumentException(
          "demo: ablation counts must be >= 0, got singles=" + singles + ", groups=" + groups);
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "demo: metrics port must be in [0, 65535], got " + metricsPort);
    }
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(fusion, "fusion");
    Objects.requireNonNull(recoveryWindows, "recoveryWindows");
  }

  /** The settings as the report's provenance shows them: the report path only when relative. */
  @Override
  public String toString() {
    return "DemoSettings[embedding=%d, rnn=%d, snn=%d, steps=%d, checkpoints=%d, target=%s, snnRatio=%s, evalTokens=%d, evalBatch=%d, singles=%d, groups=%d, probes=%d, seed=%d, metricsPort=%d, report=%s, recipe=%s, fusion=%s, recoverySteps=%d%s]"
        .formatted(
            embedding,
            rnn,
            snn,
            steps,
            checkpoints,
            target,
            snnRatio,
            evalTokens,
            evalBatch,
            singles,
            groups,
            probes,
            seed,
            metricsPort,
            Provenance.shown(report, "report"),
            recipe,
            fusion,
            recoverySteps,
            // Only when not the default: reports of earlier runs read the same.
            recoveryWindows == RecoveryWindows.TEST
                ? ""
                : ", recoveryWindows=" + recoveryWindows.settingName());
  }

  /**
   * A builder: widths, steps, checkpoints, target, evaluation tokens and batch, probes and report
   * have no default (left unset, {@link Builder#build} refuses them by name); singles 8, groups 4,
   * snn ratio 0.5, seed 1, metrics port 0, the default recipe, fusion {@code outcome} and no
   * recovery unless set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Named settings for {@link DemoSettings}; {@link #build} checks them. */
  public static final class Builder {
    private int embedding;
    private int rnn;
    private int snn;
    private int steps;
    private int checkpoints;
    private double target;
    private double snnRatio = 0.5;
    private int evalTokens;
    private int evalBatch;
    private int singles = 8;
    private int groups = 4;
    private int probes;
    private long seed = 1;
    private int metricsPort;
    private Path report;
    private WorkloadConfig recipe = WorkloadConfig.builder().build();
    private String fusion = "outcome";
    private int recoverySteps;
    private RecoveryWindows recoveryWindows = RecoveryWindows.TEST;

    private Builder() {}

    /** Embedding width, and the RNN and spiking halves of each hybrid layer. */
    public Builder widths(int embedding, int rnn, int snn) {
      this.embedding = embedding;
      this.rnn = rnn;
      this.snn = snn;
      return this;
    }

    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /** {@code checkpoints} checkpoints of a cubic schedule to {@code target}. */
    public Builder schedule(int checkpoints, double target) {
      this.checkpoints = checkpoints;
      this.target = target;
      return this;
    }

    public Builder snnRatio(double snnRatio) {
      this.snnRatio = snnRatio;
      return this;
    }

    /** Validation tokens of the perplexities and their parallel streams. */
    public Builder evaluation(int evalTokens, int evalBatch) {
      this.evalTokens = evalTokens;
      this.evalBatch = evalBatch;
      return this;
    }

    /** Single and group ablations per checkpoint, Hutchinson probes per curvature round. */
    public Builder probing(int singles, int groups, int probes) {
      this.singles = singles;
      this.groups = groups;
      this.probes = probes;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder metricsPort(int metricsPort) {
      this.metricsPort = metricsPort;
      return this;
    }

    public Builder report(Path report) {
      this.report = report;
      return this;
    }

    public Builder recipe(WorkloadConfig recipe) {
      this.recipe = recipe;
      return this;
    }

    public Builder fusion(String fusion) {
      this.fusion = fusion;
      return this;
    }

    public Builder recoverySteps(int recoverySteps) {
      this.recoverySteps = recoverySteps;
      return this;
    }

    public Builder recoveryWindows(RecoveryWindows recoveryWindows) {
      this.recoveryWindows = recoveryWindows;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range (an unset width, step
     *     count, checkpoint count, target, evaluation size or probe count among them)
     * @throws NullPointerException if the report is unset
     */
    public DemoSettings build() {
      return new DemoSettings(
          embedding,
          rnn,
          snn,
          steps,
          checkpoints,
          target,
          snnRatio,
          evalTokens,
          evalBatch,
          singles,
          groups,
          probes,
          seed,
          metricsPort,
          report,
          recipe,
          fusion,
          recoverySteps,
          recoveryWindows);
    }
  }

  /** Training steps between checkpoints: {@code ⌊steps/(checkpoints+1)⌋}. */
  public int checkpointEvery() {
    return steps / (checkpoints + 1);
  }

  /**
   * Steps actually trained: {@code (checkpoints+1)·every − 1} (at most {@code checkpoints + 1}
   * fewer than {@code steps}), so fine-tuning follows the last checkpoint and no extra checkpoint
   * fires.
   */
  public int trainedSteps() {
    return (checkpoints + 1) * checkpointEvery() - 1;
  }

  /** Hidden neurons of the two hybrid layers together. */
  public int hiddenNeurons() {
    return 2 * (rnn + snn);
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("demo: " + field + " must be >= 1, got " + v);
    }
  }
}
