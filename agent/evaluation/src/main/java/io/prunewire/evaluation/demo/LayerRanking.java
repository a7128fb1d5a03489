package io.prunewire.evaluation.demo;

import io.prunewire.scorers.fusion.Spearman;
import java.util.ArrayList;
import java.util.List;

/**
 * Held-out single-ablation probes of one layer: the score of the agent's previous decision (its
 * fusion), the HAP score (NaN when the layer had no curvature or weights yet) and the measured
 * Δloss (nats/token), with Spearman ρ of each score against Δloss. A higher score means "keep", a
 * higher Δloss means "removing it hurts", so a good ranking has ρ near +1.
 */
final class LayerRanking {

  /** At least this many probes before a ρ is reported. */
  static final int MIN_PROBES = 3;

  private final List<double[]> probes = new ArrayList<>();

  void add(double fused, double hap, double deltaLoss) {
    probes.add(new double[] {fused, hap, deltaLoss});
  }

  int size() {
    return probes.size();
  }

  /** ρ of the agent's fused scores, or a reason why there is none. */
  Rho fused() {
    return rho(0, "fused");
  }

  /** ρ of HAP on the same probes, or a reason why there is none. */
  Rho hap() {
    return rho(1, "hap");
  }

  private Rho rho(int column, String name) {
    List<double[]> usable = probes.stream().filter(p -> !Double.isNaN(p[column])).toList();
    if (usable.size() < MIN_PROBES) {
      return Rho.missing(usable.size() + " held-out probes (< " + MIN_PROBES + ")");
    }
    double[] x = usable.stream().mapToDouble(p -> p[column]).toArray();
    double[] y = usable.stream().mapToDouble(p -> p[2]).toArray();
    if (constant(y)) {
      return Rho.missing(
          "Δloss = " + y[0] + " for all " + y.length + " probes (e.g. silent spiking neurons)");
    }
    if (constant(x)) {
      return Rho.missing(name + " scores equal for all " + x.length + " probes");
    }
    return Rho.of(Spearman.of(x, y), usable.size());
  }

  private static boolean constant(double[] v) {
    for (double d : v) {
      if (d != v[0]) {
        return false;
      }
    }
    return true;
  }
}
