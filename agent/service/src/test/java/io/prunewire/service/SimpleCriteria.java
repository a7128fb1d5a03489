package io.prunewire.service;

import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * A small fixed criteria set for the service tests, each divided by its largest magnitude in the
 * layer: HAP (mean v·Hv × incoming L2), Taylor (|E[z]|), mean |activation| and incoming L2. A
 * part of the evidence not received yet scores 0.
 */
final class SimpleCriteria implements LayerCriteria {

  @Override
  public List<String> names() {
    return List.of(HAP, "taylor", "activation", "l2");
  }

  @Override
  public CriterionScores score(LayerSpec layer, LayerEvidence e) {
    int n = layer.neurons();
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put(HAP, scaled(n, i -> e.curvature().map(c -> c.vHv().mean(i)).orElse(0.0)
        * e.weights().map(s -> s.l2()[i]).orElse(0.0)));
    m.put("taylor", scaled(n, i -> e.gradient().map(g -> Math.abs(g.gate().mean(i))).orElse(0.0)));
    m.put("activation", scaled(n, i -> e.activation().map(a -> a.magnitude().mean(i)).orElse(0.0)));
    m.put("l2", scaled(n, i -> e.weights().map(s -> s.l2()[i]).orElse(0.0)));
    return CriterionScores.of(layer.name(), m);
  }

  private static double[] scaled(int n, IntToDoubleFunction f) {
    double[] out = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      out[i] = f.applyAsDouble(i);
      max = Math.max(max, Math.abs(out[i]));
    }
    for (int i = 0; i < n && max > 0; i++) {
      out[i] /= max;
    }
    return out;
  }
}
