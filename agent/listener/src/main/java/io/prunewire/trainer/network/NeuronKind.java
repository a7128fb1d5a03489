package io.prunewire.trainer.network;

/** What kind of unit a prunable neuron group holds; RNN and SNN neurons are ranked separately. */
public enum NeuronKind {
  RNN,
  SNN,
  LSTM,
  DENSE
}
