package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Evaluation;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;

/**
 * The small dense reference of the during-training arms, trained from scratch on the same tokens,
 * seed, recipe and steps as the agent's run and evaluated on the same validation tokens: a model
 * with the pruned size's hidden layers (half the rnn and half the snn neurons of each layer) —
 * pruning must beat simply training the small model (Liu et al., "Rethinking the Value of Network
 * Pruning", ICLR 2019, found that it often does not).
 */
final class DenseArms {

  private DenseArms() {}

  /** A model of the pruned size (each layer's rnn and snn halved), trained {@code steps}. */
  static MeasuredArm smallDense(CompareSettings s, PtbCorpus full, int steps) {
    int rnn = Math.max(1, (int) Math.round(s.rnn() * (1 - CompareSettings.HALF)));
    int snn = Math.max(1, (int) Math.round(s.snn() * (1 - CompareSettings.HALF)));
    return train(
        "small-dense",
        "a dense model of the pruned size ("
            + rnn
            + " rnn + "
            + snn
            + " snn per layer)"
            + " trained "
            + steps
            + " steps from scratch",
        s,
        full,
        steps,
        rnn,
        snn);
  }

  private static MeasuredArm train(
      String arm,
      String description,
      CompareSettings s,
      PtbCorpus full,
      int steps,
      int rnn,
      int snn) {
    WorkloadConfig config =
        Checkpoints.config(s, full.vocabulary().size()).toBuilder().rnn(rnn).snn(snn).build();
    Workload w = Workload.create(config, Checkpoints.training(full, s));
    long t0 = System.nanoTime();
    try (Progress bar =
        Progress.start("arm " + arm + " (model seed " + s.seed() + ")", steps, " steps")) {
      w.train(steps, p -> bar.stepTo(p.window()));
    }
    Evaluation e = w.evaluate(Split.VALID);
    return new MeasuredArm(
        new CompareResult.Schedule(
            arm,
            description,
            steps,
            2 * (rnn + snn),
            e.perplexity(),
            (System.nanoTime() - t0) / 1e9),
        e);
  }
}
