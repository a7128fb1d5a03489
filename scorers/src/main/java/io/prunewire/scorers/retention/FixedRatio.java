package io.prunewire.scorers.retention;

import java.util.List;

/**
 * {@code fixed-ratio}: every layer keeps {@code n − round(s·n)} of its n neurons, where s is the
 * (cumulative) target sparsity, e.g. from a schedule. Neurons pruned earlier count toward s.
 */
public record FixedRatio(double sparsity) implements RetentionPolicy {

  public FixedRatio {
    Sparsity.check("fixed-ratio", sparsity);
  }

  @Override
  public String name() {
    return "fixed-ratio";
  }

  @Override
  public Retention select(List<LayerScores> layers, RetentionRails rails) {
    return Selector.select(
        name(),
        layers,
        rails,
        (eligible, notes) ->
            eligible.stream()
                .map(
                    l -> {
                      notes.put(l.layer(), "sparsity " + sparsity);
                      return new Selector.Pool(List.of(l), null, Sparsity.kept(l.size(), sparsity));
                    })
                .toList());
  }
}
