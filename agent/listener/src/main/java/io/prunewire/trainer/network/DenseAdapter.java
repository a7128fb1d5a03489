package io.prunewire.trainer.network;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

/**
 * {@link DenseLayer}, {@code a = f(x·W + b)} with {@code W [nIn, nOut]}, {@code b [1, nOut]}: a
 * neuron is an output unit. Neuron {@code j} owns column {@code j} of {@code W} and entry {@code j}
 * of {@code b} (fan-in {@code nIn}), plus its row in the consumer. Masked, its pre-activation is
 * {@code 0} and its output {@code f(0)} (zero for tanh and ReLU), which no consumer reads.
 */
public final class DenseAdapter implements LayerAdapter {

  @Override
  public boolean handles(Layer conf) {
    return conf instanceof DenseLayer;
  }

  @Override
  public List<Group> groups(Layer conf, int layerIndex, String name) {
    DenseLayer dense = (DenseLayer) conf;
    int out = Math.toIntExact(dense.getNOut());
    List<OwnedSlice> slices =
        dense.hasBias()
            ? List.of(
                new OwnedSlice(layerIndex, DefaultParamInitializer.WEIGHT_KEY, 1, 0, true),
                new OwnedSlice(layerIndex, DefaultParamInitializer.BIAS_KEY, 1, 0, true))
            : List.of(new OwnedSlice(layerIndex, DefaultParamInitializer.WEIGHT_KEY, 1, 0, true));
    return List.of(new Group(name, NeuronKind.DENSE, out, dense.getNIn(), 0, slices));
  }
}
