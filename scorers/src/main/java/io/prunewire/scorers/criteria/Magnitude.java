package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Magnitude baseline: the L2 norm of the incoming weights {@code ‖w_in‖₂ = sqrt(mean(w²)·fanIn)},
 * in weight units.
 */
final class Magnitude extends AbstractCriterion {
  public Magnitude() {
    super(
        "magnitude",
        Family.PEER,
        "||w_in||_2 = sqrt(mean(w_in^2) * fanIn) [weight units]",
        Source.WEIGHTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var w = weights(evidence);
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.sqrt(w.l2()[i] * w.fanIn());
    }
    return out;
  }
}
