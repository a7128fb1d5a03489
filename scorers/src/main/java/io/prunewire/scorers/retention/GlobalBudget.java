package io.prunewire.scorers.retention;

import java.util.List;

/**
 * {@code global}: all unprotected layers form one pool that keeps {@code N − round(s·N)} of its N
 * neurons, so layers lose different shares; the rails' per-layer floor and per-checkpoint maximum
 * bound how uneven that gets. Scores must be comparable across layers (normalised per layer).
 */
public record GlobalBudget(double sparsity) implements RetentionPolicy {

  public GlobalBudget {
    Sparsity.check("global", sparsity);
  }

  @Override
  public String name() {
    return "global";
  }

  @Override
  public Retention select(List<LayerScores> layers, RetentionRails rails) {
    return Selector.select(
        name(),
        layers,
        rails,
        (eligible, notes) -> {
          int total = eligible.stream().mapToInt(LayerScores::size).sum();
          int keep = Sparsity.kept(total, sparsity);
          eligible.forEach(l -> notes.put(l.layer(), "global pool keeps " + keep + " of " + total));
          return eligible.isEmpty() ? List.of() : List.of(new Selector.Pool(eligible, null, keep));
        });
  }
}
