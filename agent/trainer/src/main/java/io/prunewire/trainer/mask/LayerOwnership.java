package io.prunewire.trainer.mask;

import java.util.Objects;

/**
 * Every parameter a layer's neurons own, as flat indices into the network's parameter vector:
 * the neuron's incoming columns, recurrent row and column, bias entries and its rows in every
 * consumer. Zeroing them all removes the neuron's effect on the network.
 *
 * @param layer prunable layer name
 * @param owned {@code owned[i]} are the flat indices owned by neuron {@code i}
 */
public record LayerOwnership(String layer, int[][] owned) {

  public LayerOwnership {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(owned, "owned");
    if (owned.length == 0) {
      throw new IllegalArgumentException("layer " + layer + ": no neurons");
    }
    for (int i = 0; i < owned.length; i++) {
      if (owned[i] == null || owned[i].length == 0) {
        throw new IllegalArgumentException("layer " + layer + ": neuron " + i + " owns no parameters");
      }
    }
  }

  public int neurons() {
    return owned.length;
  }
}
