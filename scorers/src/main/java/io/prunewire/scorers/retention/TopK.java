package io.prunewire.scorers.retention;

import java.util.List;

/** {@code top-k}: every layer keeps its k highest-scoring alive neurons (all of them if fewer). */
public record TopK(int k) implements RetentionPolicy {

  public TopK {
    if (k < 1) {
      throw new IllegalArgumentException("top-k retention: k must be ≥ 1, got " + k);
    }
  }

  @Override
  public String name() {
    return "top-k";
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
                      notes.put(l.layer(), "k " + k);
                      return new Selector.Pool(List.of(l), null, k);
                    })
                .toList());
  }
}
