package io.prunewire.scorers.schedule;

/** Target sparsity (fraction of neurons pruned, cumulative) as a function of the training step. */
public interface SparsitySchedule {

  /** The schedule's catalog name. */
  String name();

  /** Target sparsity in [0, 1] at {@code step} ≥ 0. */
  double sparsityAt(long step);
}
