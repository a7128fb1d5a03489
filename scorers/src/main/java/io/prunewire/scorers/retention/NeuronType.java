package io.prunewire.scorers.retention;

/** Kind of unit, for type-aware retention (HSTNN ranks the two kinds separately). */
public enum NeuronType {
  /** A unit with a real-valued output: RNN, LSTM or dense. */
  ANALOG,
  /** A spiking (LIF) unit whose output is 0 or 1. */
  SPIKING
}
