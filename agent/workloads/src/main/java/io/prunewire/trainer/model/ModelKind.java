package io.prunewire.trainer.model;

/** The reference workloads. */
public enum ModelKind {
  /** HSTNN hybrid RNN/SNN language model: embedding → 2 hybrid layers → softmax decoder. */
  HYBRID,
  /** 2-layer LSTM language model: embedding → LSTM × 2 → softmax decoder. */
  LSTM
}
