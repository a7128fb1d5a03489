package io.prunewire.scorers.schedule;

/**
 * {@code cubic}: gradual pruning of Zhu &amp; Gupta, "To prune, or not to prune" (2017,
 * arXiv:1710.01878), eq. 1: {@code s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(nΔt))³}, with the
 * fraction clamped to [0, 1]. It prunes fast early, when there are many redundant neurons, and
 * slowly near the target.
 */
public record Cubic(Ramp ramp) implements SparsitySchedule {

  @Override
  public String name() {
    return "cubic";
  }

  @Override
  public double sparsityAt(long step) {
    double remaining = 1 - ramp.progress(step);
    return ramp.target() + (ramp.initial() - ramp.target()) * remaining * remaining * remaining;
  }
}
