package io.prunewire.scorers.fusion;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code simple}: the mean of all given normalised criteria, {@code fused = (1/m) Σ_c x_c}. */
public final class SimpleFusion implements Fusion {

  @Override
  public String name() {
    return "simple";
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    Map<String, Double> weights = new LinkedHashMap<>();
    double w = 1.0 / criteria.names().size();
    for (String name : criteria.names()) {
      weights.put(name, w);
    }
    return WeightedSum.of(name(), criteria, weights);
  }
}
