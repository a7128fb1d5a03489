package io.prunewire.trainer.model;

/**
 * How a workload updates its weights; both follow the same epoch learning-rate schedule and
 * gradient clipping.
 */
public enum Optimizer {
  /** SGD with classic (heavy-ball) momentum, {@link MomentumSgd}: the reference HSTNN optimizer. */
  SGD,
  /**
   * DL4J's Adam (β₁ 0.9, β₂ 0.999, ε 1e-8); {@code momentum} is unused. Per-parameter step sizes
   * suit short runs, where SGD leaves the hybrid model near the unigram perplexity for long.
   */
  ADAM
}
