package io.prunewire.trainer.network;

import io.prunewire.trainer.gate.GateLayer;
import java.util.List;
import java.util.Objects;

/**
 * One prunable group of neurons (e.g. {@code h1.snn}) and everything its neurons own.
 *
 * @param name stable group name used on the wire ({@code h1.snn}, {@code h1.rnn}, {@code lstm1},
 *     ...)
 * @param kind unit type
 * @param neurons number of neurons in the group
 * @param fanIn incoming weights per neuron (the size of its incoming slices together)
 * @param gateLayer network index of the {@link GateLayer} behind the group
 * @param gateOffset index of the group's first neuron in that gate (groups share a gate when their
 *     layer outputs a concatenation)
 * @param slices parameter slices every neuron owns, incoming first
 */
public record PrunableLayer(
    String name,
    NeuronKind kind,
    int neurons,
    long fanIn,
    int gateLayer,
    int gateOffset,
    List<OwnedSlice> slices) {
  public PrunableLayer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (neurons <= 0) {
      throw new IllegalArgumentException(
          "prunable layer " + name + ": neurons must be positive, got " + neurons);
    }
    if (fanIn <= 0) {
      throw new IllegalArgumentException(
          "prunable layer " + name + ": fanIn must be positive, got " + fanIn);
    }
    if (gateLayer < 0 || gateOffset < 0) {
      throw new IllegalArgumentException("prunable layer " + name + ": negative gate index/offset");
    }
    slices = List.copyOf(slices);
    if (slices.stream().noneMatch(OwnedSlice::incoming)) {
      throw new IllegalArgumentException("prunable layer " + name + ": no incoming slice");
    }
  }

  /** The slices over the neurons' own input weights. */
  public List<OwnedSlice> incomingSlices() {
    return slices.stream().filter(OwnedSlice::incoming).toList();
  }
}
