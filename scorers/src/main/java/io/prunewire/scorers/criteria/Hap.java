package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * HAP score as used by HSTNN, exactly as published: {@code trace(H_i) × ‖w_in‖² / numel(w_in)} =
 * Hutchinson trace × {@code mean(w_in²)}, in loss units (Yu et al., "Hessian-Aware Pruning and
 * Optimal Neural Implant", WACV 2022). The signed trace is used as published. It is the baseline
 * every other criterion and fusion is compared to.
 */
final class Hap extends AbstractCriterion {
  public Hap() {
    super(
        "hap",
        Family.SECOND_ORDER,
        "trace(H_i) * ||w_in||^2 / numel(w_in) = trace * mean(w_in^2) [loss units]",
        Source.CURVATURE,
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var vHv = curvature(evidence).vHv();
    double[] l2 = weights(evidence).l2();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = vHv.mean(i) * l2[i];
    }
    return out;
  }
}
