package io.prunewire.trainer.network;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;

/**
 * {@link SimpleRnn}, {@code h_t = f(x_t·W + h_{t−1}·RW + b)} with {@code W [nIn, h]}, {@code RW [h,
 * h]}, {@code b [h]}: a neuron is a hidden unit. Unit {@code j} owns column {@code j} of {@code W},
 * {@code RW} and {@code b} (fan-in {@code nIn + h + 1}), row {@code j} of {@code RW} and its row in
 * the consumer. Layer normalisation ({@code hasLayerNorm}) is not supported: its gains would need
 * their own entries.
 */
public final class SimpleRnnAdapter implements LayerAdapter {

  @Override
  public boolean handles(Layer conf) {
    return conf instanceof SimpleRnn rnn && !rnn.hasLayerNorm();
  }

  @Override
  public List<Group> groups(Layer conf, int layerIndex, String name) {
    SimpleRnn rnn = (SimpleRnn) conf;
    int h = Math.toIntExact(rnn.getNOut());
    List<OwnedSlice> slices =
        List.of(
            new OwnedSlice(layerIndex, SimpleRnnParamInitializer.WEIGHT_KEY, 1, 0, true),
            new OwnedSlice(layerIndex, SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, 1, 0, true),
            new OwnedSlice(layerIndex, SimpleRnnParamInitializer.BIAS_KEY, 1, 0, true),
            new OwnedSlice(
                layerIndex, SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, 0, 0, false));
    return List.of(new Group(name, NeuronKind.RNN, h, rnn.getNIn() + h + 1, 0, slices));
  }
}
