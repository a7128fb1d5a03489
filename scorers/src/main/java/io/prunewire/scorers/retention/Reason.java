package io.prunewire.scorers.retention;

/** Why one neuron is kept or pruned at a checkpoint. */
public enum Reason {
  /** Ranked above the policy's cut. */
  KEPT,
  /** Its layer is protected from pruning. */
  KEPT_PROTECTED,
  /** Would be pruned, but its layer is at the per-layer floor. */
  KEPT_FLOOR,
  /**
   * Would be pruned, but its layer, or the whole network, reached the maximum removed per
   * checkpoint.
   */
  KEPT_CHECKPOINT_LIMIT,
  /** Pruned at an earlier checkpoint; pruning is monotone. */
  PRUNED_BEFORE,
  /** A spiking neuron that never fired: it has no effect and goes first. */
  PRUNED_SILENT,
  /** Ranked below the policy's cut (lower score first, ties by lower index). */
  PRUNED_LOW_SCORE;

  public boolean kept() {
    return this == KEPT
        || this == KEPT_PROTECTED
        || this == KEPT_FLOOR
        || this == KEPT_CHECKPOINT_LIMIT;
  }
}
