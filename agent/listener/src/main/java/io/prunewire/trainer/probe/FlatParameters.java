package io.prunewire.trainer.probe;

import io.prunewire.trainer.network.OwnedSlice;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Locates rows and columns of a layer's parameter arrays inside the network's flattened parameter
 * vector. After {@code init()} every parameter array of a DL4J network or graph is a view of one
 * flat buffer, so element {@code (r, c)} of a view sits at {@code view.offset() − flat.offset() +
 * r·stride₀ + c·stride₁}.
 */
public final class FlatParameters {

  private FlatParameters() {}

  /**
   * Flat indices of one row ({@code axis = 0}) or column ({@code axis = 1}) of a parameter; a
   * rank-1 parameter (a bias) counts as a single row.
   *
   * @throws IllegalArgumentException if the layer, key, axis or index does not exist
   */
  public static int[] slice(Model net, int layerIndex, String paramKey, int axis, long index) {
    Objects.requireNonNull(net, "net");
    Layer[] layers = layers(net);
    if (layerIndex < 0 || layerIndex >= layers.length) {
      throw new IllegalArgumentException(
          "layer index " + layerIndex + " outside [0, " + layers.length + ")");
    }
    INDArray view = layers[layerIndex].getParam(paramKey);
    if (view == null) {
      throw new IllegalArgumentException(
          "layer " + layerIndex + " has no parameter '" + paramKey + "'");
    }
    if (view.rank() != 1 && view.rank() != 2) {
      throw new IllegalArgumentException(
          "layer "
              + layerIndex
              + " parameter '"
              + paramKey
              + "' has rank "
              + view.rank()
              + ", expected 1 or 2");
    }
    if (axis != 0 && axis != 1) {
      throw new IllegalArgumentException("axis must be 0 (row) or 1 (column), got " + axis);
    }
    // A rank-1 parameter (a bias) is one row: its column i is element i.
    long[] size = view.rank() == 2 ? view.shape() : new long[] {1, view.length()};
    long[] stride =
        view.rank() == 2
            ? view.stride()
            : new long[] {view.length() * view.stride(0), view.stride(0)};
    if (index < 0 || index >= size[axis]) {
      throw new IllegalArgumentException(
          "layer "
              + layerIndex
              + " parameter '"
              + paramKey
              + "': index "
              + index
              + " outside [0, "
              + size[axis]
              + ") on axis "
              + axis);
    }
    INDArray flat = net.params();
    if (root(view.data()).address() != root(flat.data()).address()) {
      throw new IllegalStateException(
          "layer "
              + layerIndex
              + " parameter '"
              + paramKey
              + "' is not a view of the flattened parameters; call init() first");
    }
    long base = view.offset() - flat.offset() + index * stride[axis];
    long step = stride[1 - axis];
    int length = (int) size[1 - axis];
    int[] out = new int[length];
    for (int k = 0; k < length; k++) {
      out[k] = Math.toIntExact(base + k * step);
    }
    return out;
  }

  /**
   * For each of {@code neurons} neurons, the flat indices of every slice it owns: neuron {@code i}
   * owns index {@code offset + i} along each slice's axis.
   */
  public static int[][] perNeuron(Model net, int neurons, List<OwnedSlice> slices) {
    int[][] out = new int[neurons][];
    for (int i = 0; i < neurons; i++) {
      int total = 0;
      int[][] parts = new int[slices.size()][];
      for (int s = 0; s < slices.size(); s++) {
        OwnedSlice o = slices.get(s);
        parts[s] = slice(net, o.layerIndex(), o.paramKey(), o.axis(), o.offset() + i);
        total += parts[s].length;
      }
      out[i] = new int[total];
      int k = 0;
      for (int[] part : parts) {
        System.arraycopy(part, 0, out[i], k, part.length);
        k += part.length;
      }
    }
    return out;
  }

  /**
   * The layers whose positions are layer indices: a network's own, a graph's {@link
   * ComputationGraph#getLayers()}.
   */
  private static Layer[] layers(Model net) {
    if (net instanceof MultiLayerNetwork m) {
      return m.getLayers();
    }
    if (net instanceof ComputationGraph g) {
      return g.getLayers();
    }
    throw new IllegalArgumentException(
        "not a MultiLayerNetwork or ComputationGraph: " + net.getClass().getName());
  }

  private static DataBuffer root(DataBuffer b) {
    return b.underlyingDataBuffer() == null ? b : b.underlyingDataBuffer();
  }
}
