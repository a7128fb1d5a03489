package io.prunewire.evaluation.demo;

import io.prunewire.scorers.schedule.Cubic;
import io.prunewire.scorers.schedule.Ramp;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.Optimizer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.HutchinsonProbe;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The demo's pruning plan: a cubic schedule (Zhu &amp; Gupta, "To prune, or not to prune", 2017,
 * arXiv:1710.01878, eq. 1) from sparsity 0 to {@code target} over {@code checkpoints} checkpoints
 * every {@code every} steps, turned into whole neurons: after checkpoint k, {@code pruned(k) =
 * round(neurons · s(k·every))} are gone, and checkpoint k plans {@code pruned(k) − pruned(k−1)}
 * removals (0 outside 1..checkpoints). Shared by {@code prunewire demo} and {@code prunewire train
 * --bootstrap-servers}.
 */
public record PruningPlan(int neurons, int checkpoints, int every, Cubic schedule) {

  static PruningPlan of(DemoSettings s) {
    return cubic(s.hiddenNeurons(), s.checkpoints(), s.checkpointEvery(), s.target());
  }

  /**
   * A cubic plan from sparsity 0 to {@code target} of {@code neurons} over {@code checkpoints}
   * checkpoints every {@code every} steps.
   */
  public static PruningPlan cubic(int neurons, int checkpoints, int every, double target) {
    return new PruningPlan(
        neurons, checkpoints, every, new Cubic(new Ramp(0, target, 0, checkpoints, every)));
  }

  /**
   * A listener builder with this plan's cadence: activations sampled 8 times and summaries
   * published twice per checkpoint interval, curvature ({@code probes} Hutchinson probes) once per
   * interval just before the checkpoint's ablations ({@code singles} single and {@code groups}
   * group ablations on a test-split probe batch), and the plan's removals at each checkpoint. The
   * caller adds the sink, run, trainer and decision timeout.
   */
  public PruningListener.Builder listener(
      Workload workload, int probes, int singles, int groups, long seed) {
    return PruningListener.builder(new WorkloadNetwork(workload))
        .sampleEvery(Math.max(1, every / 8))
        .publishEvery(Math.max(1, every / 2))
        .curvatureEvery(every, HutchinsonProbe.builder().probes(probes).seed(seed).build())
        .checkpointEvery(
            every,
            this::planned,
            AblationProbe.builder().singles(singles).groups(groups).seed(seed).build())
        .probeBatch(workload.probeBatch(Split.TEST, 0));
  }

  /**
   * Removal candidates measured on {@code batches} test windows, each separately, so that every
   * outcome carries its standard error (the agent's {@code outcome.margin} weighs gains against
   * it): the probe batch and those of {@link #outcomeWindows}.
   *
   * @return the number of windows used ({@code batches}, or fewer in a small test split)
   */
  public int outcomeBatches(PruningListener.Builder builder, Workload workload, int batches) {
    List<DataSet> chosen = new ArrayList<>();
    for (int w : outcomeWindows(batches, workload.probeBatchCount(Split.TEST))) {
      chosen.add(workload.probeBatch(Split.TEST, w));
    }
    builder.outcomeBatches(chosen);
    return chosen.size();
  }

  /**
   * The test windows of {@code batches} outcome batches out of {@code count}: window 0 (the probe
   * batch), then windows 7, 8, … — past the recovery windows 2-5 ({@link #recovery}) and window 6,
   * whose first input token is window 5's last label, so that no outcome batch shares a token with
   * a recovery batch.
   */
  static int[] outcomeWindows(int batches, int count) {
    if (batches < 1) {
      throw new IllegalArgumentException("outcome batches must be >= 1, got " + batches);
    }
    int past = Math.max(0, Math.min(batches - 1, count - 7));
    int[] out = new int[1 + past];
    for (int i = 1; i <= past; i++) {
      out[i] = 6 + i;
    }
    return out;
  }

  /** What a run prints when {@link #recovery} returns false. */
  public static final String NO_RECOVERY_WINDOW =
      "removal candidates measured immediately: the test split has no window besides the probe"
          + " batch to recover on";

  /**
   * Outcome candidates measured after {@code steps} steps of recovery that continue from the
   * training optimiser's state (its Adam moments and learning rate, gradients clipped as the recipe
   * clips them). With {@link RecoveryWindows#TEST} on test windows 2-5: window 0 is the probe batch
   * the damage is measured on, and window 1 is skipped because its first input token is window 0's
   * last label; a test split with fewer windows (a tiny corpus) recovers on those after window 0
   * that it has. With {@link RecoveryWindows#TRAIN} on {@code steps} training windows spread evenly
   * over the training split, window {@code ⌊i·count/steps⌋} at step i.
   *
   * @return false, leaving {@code builder} as it was, if the split has no window to recover on (the
   *     candidates are then measured immediately)
   */
  public boolean recovery(
      PruningListener.Builder builder, Workload workload, int steps, RecoveryWindows windows) {
    List<DataSet> batches = new ArrayList<>();
    if (windows == RecoveryWindows.TRAIN) {
      for (int w : trainRecoveryWindows(steps, workload.probeBatchCount(Split.TRAIN))) {
        batches.add(workload.probeBatch(Split.TRAIN, w));
      }
    } else {
      int count = workload.probeBatchCount(Split.TEST);
      int first = count > 2 ? 2 : 1;
      for (int w = first; w < Math.min(count, 6); w++) {
        batches.add(workload.probeBatch(Split.TEST, w));
      }
    }
    if (batches.isEmpty()) {
      return false;
    }
    builder
        .outcomeRecovery(steps, freshAdamRate(workload.config()), batches)
        .outcomeRecoveryFromTrainingState(workload.config().clip());
    return true;
  }

  /**
   * The training windows of a {@link RecoveryWindows#TRAIN} recovery of {@code steps} steps out of
   * {@code count}: {@code ⌊i·count/n⌋} for i < n = min(steps, count), distinct and spread evenly.
   */
  static int[] trainRecoveryWindows(int steps, int count) {
    int n = Math.min(steps, count);
    int[] windows = new int[n];
    for (int i = 0; i < n; i++) {
      windows[i] = (int) ((long) i * count / n);
    }
    return windows;
  }

  /**
   * The learning rate of a recovery that cannot continue the training's Adam state: the recipe's
   * own with Adam, else Adam's usual 0.001 (Kingma &amp; Ba 2015) — an SGD rate such as the
   * reference's 0.5 would throw an Adam step far off.
   */
  private static double freshAdamRate(WorkloadConfig config) {
    return config.optimizer() == Optimizer.ADAM ? config.learningRate() : 0.001;
  }

  /** Neurons pruned in total after checkpoint {@code k} (0 before the first). */
  int prunedAfter(int k) {
    if (k <= 0) {
      return 0;
    }
    int clamped = Math.min(k, checkpoints);
    return (int) Math.round(neurons * schedule.sparsityAt((long) clamped * every));
  }

  /** Removals planned at checkpoint {@code k} (1-based). */
  public int planned(int k) {
    return k < 1 || k > checkpoints ? 0 : prunedAfter(k) - prunedAfter(k - 1);
  }
}
