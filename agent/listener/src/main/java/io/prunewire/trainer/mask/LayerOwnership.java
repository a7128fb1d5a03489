package io.prunewire.trainer.mask;

import io.prunewire.trainer.network.OwnedSlice;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.FlatParameters;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;

/**
 * Every parameter a layer's neurons own, as flat indices into the network's parameter vector: the
 * neuron's incoming columns, recurrent row and column, bias entries and its rows in every consumer.
 * Zeroing them all removes the neuron's effect on the network.
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
        throw new IllegalArgumentException(
            "layer " + layer + ": neuron " + i + " owns no parameters");
      }
    }
  }

  /** Everything the neurons of a workload's prunable layer own (all its {@link OwnedSlice}s). */
  public static LayerOwnership of(Model net, PrunableLayer layer) {
    return new LayerOwnership(
        layer.name(), FlatParameters.perNeuron(net, layer.neurons(), layer.slices()));
  }

  public int neurons() {
    return owned.length;
  }
}
