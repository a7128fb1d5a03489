package io.prunewire.scorers.criteria;

/** The kind of evidence a criterion is built on. */
public enum Family {
  /** Statistics of the neuron's weights. */
  WEIGHT,
  /** Statistics of the neuron's outputs. */
  ACTIVATION,
  /** Statistics of the loss gradient with respect to the neuron's output. */
  GRADIENT,
  /** Co-activation with the layer's other neurons. */
  COOPERATIVE,
  /** Curvature of the loss (Hessian or Fisher). */
  SECOND_ORDER,
  /** Established baselines from the pruning literature (first-order, magnitude, random). */
  PEER
}
