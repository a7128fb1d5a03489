package io.prunewire.trainer.network;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

/**
 * Teaches the listener one DL4J layer type: which of its configurations it handles, what a neuron
 * is, and which parameter slices a neuron owns. Everything else is shared: activations are the
 * layer's output columns, {@code ∂L/∂a} the gradient arriving at that output (read by {@link
 * LayerGradients}), and masking a neuron zeroes every slice it owns after each update (the
 * listener's {@code MaskApplier}), exactly as for the reference hybrid layer.
 *
 * <p>A layer's output must hold its neurons as columns: {@code [batch, neurons]} or {@code [batch,
 * neurons, time]} (NCW). Its consumer, the next layer with parameters, must read neuron {@code i}
 * through row {@code i} of its input weights {@code W}; {@link PrunableLayers} adds that outgoing
 * row to every group, asking the consumer's adapter ({@link #inputRows}).
 */
public interface LayerAdapter {

  /** True if this adapter handles layers configured as {@code conf}. */
  boolean handles(Layer conf);

  /**
   * The neuron groups of the layer at {@code layerIndex}, usually one; each with the slices its
   * neurons own inside the layer itself (incoming columns, recurrent rows), not yet the consumer's
   * rows.
   *
   * @param name the layer's name on the wire (groups of a multi-group layer append a suffix)
   */
  List<Group> groups(Layer conf, int layerIndex, String name);

  /**
   * How this layer, as the consumer of another layer's neurons, reads them: the slices whose index
   * {@code offset + i} belongs to input {@code i}. By default row {@code offset + i} of the input
   * weights {@code W}, as in DL4J's dense, output, LSTM and simple RNN layers.
   */
  default List<OwnedSlice> inputRows(Layer conf, int layerIndex, long offset) {
    return List.of(
        new OwnedSlice(layerIndex, DefaultParamInitializer.WEIGHT_KEY, 0, offset, false));
  }

  /**
   * One group of neurons of a layer.
   *
   * @param name group name on the wire
   * @param kind unit type (what the agent ranks together)
   * @param neurons number of neurons
   * @param fanIn incoming weights per neuron
   * @param offset the group's first column in the layer's output
   * @param slices what each neuron owns inside the layer, incoming first
   */
  record Group(
      String name, NeuronKind kind, int neurons, long fanIn, int offset, List<OwnedSlice> slices) {
    public Group {
      slices = List.copyOf(slices);
    }
  }
}
