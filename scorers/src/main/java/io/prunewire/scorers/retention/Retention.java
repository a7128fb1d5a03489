package io.prunewire.scorers.retention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of one retention policy at one checkpoint: a decision per layer, in input order. */
public record Retention(String policy, List<LayerDecision> layers) {

  public Retention {
    layers = List.copyOf(layers);
  }

  public LayerDecision layer(String name) {
    for (LayerDecision d : layers) {
      if (d.layer().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("retention: no layer " + name);
  }

  /** Keep-masks by layer name. */
  public Map<String, boolean[]> masks() {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    for (LayerDecision d : layers) {
      m.put(d.layer(), d.keep());
    }
    return m;
  }
}
