package io.prunewire.scorers.schedule;

/** {@code one-shot}: sparsity 0 before {@code step}, {@code sparsity} from it on. */
public record OneShot(long step, double sparsity) implements SparsitySchedule {

  public OneShot {
    if (step < 0) {
      throw new IllegalArgumentException("one-shot schedule: step must be ≥ 0, got " + step);
    }
    if (!(sparsity >= 0 && sparsity <= 1)) {
      throw new IllegalArgumentException(
          "one-shot schedule: sparsity must be in [0, 1], got " + sparsity);
    }
  }

  @Override
  public String name() {
    return "one-shot";
  }

  @Override
  public double sparsityAt(long t) {
    if (t < 0) {
      throw new IllegalArgumentException("one-shot schedule: step must be ≥ 0, got " + t);
    }
    return t >= step ? sparsity : 0;
  }
}
