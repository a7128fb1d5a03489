package io.prunewire.scorers.schedule;

/**
 * {@code linear}: {@code s_t = s_i + (s_f − s_i)·(t − t₀)/(nΔt)}, with the fraction clamped to [0,
 * 1] (s_i before t₀, s_f after t₀ + nΔt).
 */
public record Linear(Ramp ramp) implements SparsitySchedule {

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public double sparsityAt(long step) {
    return ramp.initial() + (ramp.target() - ramp.initial()) * ramp.progress(step);
  }
}
