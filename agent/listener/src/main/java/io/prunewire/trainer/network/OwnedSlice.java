package io.prunewire.trainer.network;

import java.util.Objects;

/**
 * A slice of one parameter that every neuron of a group owns: neuron {@code i} owns index {@code
 * offset + i} along {@code axis} of parameter {@code paramKey} of network layer {@code layerIndex}
 * (DL4J parameter tables, weights stored {@code [in, out]}, biases {@code [1, out]}; a rank-1 bias
 * {@code [out]} is indexed directly, with axis 1). {@code incoming} marks the neuron's own input
 * weights (what Hutchinson traces and weight norms are taken over); outgoing slices are its
 * recurrent row and its rows in consumers' input weights.
 */
public record OwnedSlice(int layerIndex, String paramKey, int axis, long offset, boolean incoming) {
  public OwnedSlice {
    Objects.requireNonNull(paramKey, "paramKey");
    if (layerIndex < 0) {
      throw new IllegalArgumentException("OwnedSlice: layerIndex must be >= 0, got " + layerIndex);
    }
    if (axis != 0 && axis != 1) {
      throw new IllegalArgumentException(
          "OwnedSlice " + paramKey + ": axis must be 0 or 1, got " + axis);
    }
    if (offset < 0) {
      throw new IllegalArgumentException(
          "OwnedSlice " + paramKey + ": offset must be >= 0, got " + offset);
    }
  }

  public static OwnedSlice incoming(int layerIndex, String paramKey, int axis, long offset) {
    return new OwnedSlice(layerIndex, paramKey, axis, offset, true);
  }

  public static OwnedSlice outgoing(int layerIndex, String paramKey, int axis, long offset) {
    return new OwnedSlice(layerIndex, paramKey, axis, offset, false);
  }
}
