package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Activation frequency: fraction of samples with a non-zero output; for spiking neurons the firing
 * rate (spikes per time step), in [0, 1].
 */
final class ActivationFrequency extends AbstractCriterion {
  public ActivationFrequency() {
    super(
        "activation_frequency",
        Family.ACTIVATION,
        "#{samples with a != 0} / samples [fraction]",
        Source.ACTIVATIONS);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var counts = activation(evidence).nonZero();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts.rate(i);
    }
    return out;
  }
}
