package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Hutchinson estimate of the trace of the Hessian block of the neuron's incoming weights, {@code
 * mean_probes Σ_{j∈in(i)} v_j(Hv)_j ≈ trace(H_i)} with Rademacher {@code v} (Hutchinson 1990), in
 * loss per squared weight unit. Signed: a negative trace is kept as measured (normalisers are
 * order-based).
 */
final class HutchinsonTrace extends AbstractCriterion {
  public HutchinsonTrace() {
    super(
        "hutchinson_trace",
        Family.SECOND_ORDER,
        "mean over probes of v^T H v restricted to in(i) ~ trace(H_i) [loss / weight units^2]",
        Source.CURVATURE);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var vHv = curvature(evidence).vHv();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = vHv.mean(i);
    }
    return out;
  }
}
