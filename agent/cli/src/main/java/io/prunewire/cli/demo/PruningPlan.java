package io.prunewire.cli.demo;

import io.prunewire.scorers.schedule.Cubic;
import io.prunewire.scorers.schedule.Ramp;

/**
 * The demo's pruning plan: a cubic schedule (Zhu &amp; Gupta, "To prune, or not to prune", 2017,
 * arXiv:1710.01878, eq. 1) from sparsity 0 to {@code target} over {@code checkpoints} checkpoints
 * every {@code every} steps, turned into whole neurons: after checkpoint k,
 * {@code pruned(k) = round(neurons · s(k·every))} are gone, and checkpoint k plans
 * {@code pruned(k) − pruned(k−1)} removals (0 outside 1..checkpoints).
 */
record PruningPlan(int neurons, int checkpoints, int every, Cubic schedule) {

  static PruningPlan of(DemoSettings s) {
    return new PruningPlan(s.hiddenNeurons(), s.checkpoints(), s.checkpointEvery(),
        new Cubic(new Ramp(0, s.target(), 0, s.checkpoints(), s.checkpointEvery())));
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
  int planned(int k) {
    return k < 1 || k > checkpoints ? 0 : prunedAfter(k) - prunedAfter(k - 1);
  }
}
