package io.prunewire.scorers.fusion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One fused score per neuron of a layer, with the strategy and the per-criterion weights that
 * produced it ({@code fused[i] = Σ_c weights[c] · criterion_c[i]}).
 */
public record FusedScores(
    String layer, String strategy, double[] scores, Map<String, Double> weights) {

  public FusedScores {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(strategy, "strategy");
    scores = scores.clone();
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** The fused score of one neuron. */
  public double score(int neuron) {
    return scores[neuron];
  }

  public int neurons() {
    return scores.length;
  }
}
