package io.prunewire.trainer.probe;

import io.prunewire.trainer.network.OwnedSlice;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;

/**
 * Where each neuron's incoming weights sit in a network's flattened parameter vector ({@code
 * net.params()}).
 *
 * @param layer prunable layer name
 * @param incoming {@code incoming[i]} are the flat indices of neuron {@code i}'s incoming weights
 *     (its columns of the input and, for recurrent layers, recurrent matrices)
 */
public record LayerCoordinates(String layer, int[][] incoming) {

  public LayerCoordinates {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(incoming, "incoming");
    if (incoming.length == 0) {
      throw new IllegalArgumentException("layer " + layer + ": no neurons");
    }
    for (int i = 0; i < incoming.length; i++) {
      if (incoming[i] == null || incoming[i].length == 0) {
        throw new IllegalArgumentException(
            "layer " + layer + ": neuron " + i + " has no incoming weights");
      }
      for (int j : incoming[i]) {
        if (j < 0) {
          throw new IllegalArgumentException(
              "layer " + layer + ": neuron " + i + " has negative flat index " + j);
        }
      }
    }
  }

  /** The incoming weights ({@link OwnedSlice#incoming()} slices) of a workload's prunable layer. */
  public static LayerCoordinates of(Model net, PrunableLayer layer) {
    return new LayerCoordinates(
        layer.name(), FlatParameters.perNeuron(net, layer.neurons(), layer.incomingSlices()));
  }

  /** Number of neurons. */
  public int neurons() {
    return incoming.length;
  }
}
