package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Sign consistency of the gradient across windows {@code |pos − neg| / windows}, where a window's
 * sign is that of its mean {@code ∂L/∂a}; in [0, 1], 1 when the gradient always pushes the same
 * way.
 */
final class GradientSignConsistency extends AbstractCriterion {
  public GradientSignConsistency() {
    super(
        "gradient_sign_consistency",
        Family.GRADIENT,
        "|windows with mean g > 0 - windows with mean g < 0| / windows [fraction]",
        Source.GRADIENTS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var sign = gradient(evidence).sign();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = sign.consistency(i);
    }
    return out;
  }
}
