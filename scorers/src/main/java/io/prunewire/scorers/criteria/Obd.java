package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Optimal Brain Damage saliency {@code ½·Σ_j H_jj·w_j²} (LeCun, Denker &amp; Solla 1990) with the
 * only per-neuron curvature available, the Hutchinson trace, standing in for every diagonal entry
 * of the neuron's weights: {@code ½·trace·Σ_j w_j² = ½·trace·mean(w²)·fanIn}, in loss units. Within
 * one layer it ranks exactly like HAP; across layers it weighs wide fan-ins more, which matters for
 * global budgets.
 */
final class Obd extends AbstractCriterion {
  public Obd() {
    super(
        "obd",
        Family.SECOND_ORDER,
        "1/2 * trace(H_i) * mean(w_in^2) * fanIn = 1/2 * trace * ||w_in||^2 [loss units]",
        Source.CURVATURE,
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var vHv = curvature(evidence).vHv();
    var w = weights(evidence);
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = 0.5 * vHv.mean(i) * w.l2()[i] * w.fanIn();
    }
    return out;
  }
}
