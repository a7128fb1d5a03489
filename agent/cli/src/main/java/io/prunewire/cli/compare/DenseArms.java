package io.prunewire.cli.compare;

import io.prunewire.cli.progress.Progress;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;

/**
 * The dense references of the during-training arms, each trained from scratch on the same tokens,
 * seed and steps as the agent's run and evaluated on the same validation tokens: {@code dense}, the
 * same model never pruned, and {@code small-dense}, a model with the pruned size's hidden layers
 * (half the rnn and half the snn neurons of each layer) — pruning must beat simply training the
 * small model (Liu et al., "Rethinking the Value of Network Pruning", ICLR 2019, found that it often
 * does not).
 */
final class DenseArms {

  private DenseArms() {}

  /** The same model, unpruned, trained {@code steps}. */
  static CompareResult.Schedule dense(CompareSettings s, PtbCorpus full, int steps) {
    return train("dense", "the same model trained " + steps + " steps from scratch, never pruned", s, full, steps,
        s.rnn(), s.snn());
  }

  /** A model of the pruned size (each layer's rnn and snn halved), trained {@code steps}. */
  static CompareResult.Schedule smallDense(CompareSettings s, PtbCorpus full, int steps) {
    int rnn = Math.max(1, (int) Math.round(s.rnn() * (1 - CompareSettings.HALF)));
    int snn = Math.max(1, (int) Math.round(s.snn() * (1 - CompareSettings.HALF)));
    return train("small-dense", "a dense model of the pruned size (" + rnn + " rnn + " + snn + " snn per layer)"
        + " trained " + steps + " steps from scratch", s, full, steps, rnn, snn);
  }

  private static CompareResult.Schedule train(String arm, String description, CompareSettings s, PtbCorpus full,
      int steps, int rnn, int snn) {
    if (Checkpoints.tokens(steps) > full.tokenCount(Split.TRAIN)) {
      throw new IllegalArgumentException("compare: the " + arm + " arm's " + steps + " steps need "
          + Checkpoints.tokens(steps) + " training tokens, PTB has " + full.tokenCount(Split.TRAIN));
    }
    WorkloadConfig config = Checkpoints.config(s, full.vocabulary().size()).toBuilder().rnn(rnn).snn(snn).build();
    Workload w = Workload.create(config, full.slice(Checkpoints.tokens(steps), s.evalTokens()));
    long t0 = System.nanoTime();
    try (Progress bar = Progress.start("arm " + arm, steps, " steps")) {
      w.trainEpoch(p -> bar.stepTo(p.window()));
    }
    double ppl = w.evaluatePerplexity(Split.VALID);
    return new CompareResult.Schedule(arm, description, steps, 2 * (rnn + snn), ppl, (System.nanoTime() - t0) / 1e9);
  }
}
