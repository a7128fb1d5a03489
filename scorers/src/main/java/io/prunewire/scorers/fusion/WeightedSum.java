package io.prunewire.scorers.fusion;

import java.util.Map;

/** {@code fused[i] = Σ_c w_c · x_c[i]}, shared by every strategy. */
final class WeightedSum {

  private WeightedSum() {}

  static FusedScores of(String strategy, CriterionScores criteria, Map<String, Double> weights) {
    double[] fused = new double[criteria.neurons()];
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      double weight = w.getValue();
      if (weight == 0) {
        continue;
      }
      double[] x = criteria.view(w.getKey());
      for (int i = 0; i < fused.length; i++) {
        fused[i] += weight * x[i];
      }
    }
    return new FusedScores(criteria.layer(), strategy, fused, weights);
  }
}
