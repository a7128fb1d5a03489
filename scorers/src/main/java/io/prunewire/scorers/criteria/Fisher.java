package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/**
 * Fisher information of a multiplicative gate on the neuron {@code E[z²]}, {@code z =
 * Σ_{batch,time} a·∂L/∂a} per sampled batch (Theis et al. 2018, "Faster gaze prediction with dense
 * networks and Fisher pruning"), in squared loss units.
 */
final class Fisher extends AbstractCriterion {
  public Fisher() {
    super(
        "fisher",
        Family.SECOND_ORDER,
        "E[z^2], z = sum_{batch,time} a * dL/da per sampled batch [loss^2]",
        Source.GATES);
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    var gate = gradient(evidence).gate();
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = gate.meanSquare(i);
    }
    return out;
  }
}
