package io.prunewire.scorers.schedule;

/**
 * Where a gradual schedule starts and ends: sparsity goes from {@code initial} at step {@code
 * start} (t₀) to {@code target} at step {@code t₀ + n·Δt}, pruning every Δt steps.
 */
public record Ramp(double initial, double target, long start, int checkpoints, long interval) {

  public Ramp {
    checkSparsity("initial", initial);
    checkSparsity("target", target);
    if (start < 0) {
      throw new IllegalArgumentException("schedule: start step must be ≥ 0, got " + start);
    }
    if (checkpoints < 1) {
      throw new IllegalArgumentException(
          "schedule: number of pruning steps n must be ≥ 1, got " + checkpoints);
    }
    if (interval < 1) {
      throw new IllegalArgumentException("schedule: interval Δt must be ≥ 1, got " + interval);
    }
  }

  private static void checkSparsity(String field, double s) {
    if (!(s >= 0 && s <= 1)) {
      throw new IllegalArgumentException(
          "schedule: " + field + " sparsity must be in [0, 1], got " + s);
    }
  }

  /** Progress {@code (t − t₀)/(nΔt)} clamped to [0, 1]. */
  double progress(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("schedule: step must be ≥ 0, got " + step);
    }
    double p = (double) (step - start) / ((double) checkpoints * interval);
    return Math.max(0, Math.min(1, p));
  }
}
