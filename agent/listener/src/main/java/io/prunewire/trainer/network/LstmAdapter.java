package io.prunewire.trainer.network;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;

/**
 * DL4J's {@link LSTM} (not GravesLSTM): a neuron is a hidden unit {@code h_j}. DL4J stores the four
 * gate blocks side by side in {@code W [nIn, 4h]}, {@code RW [h, 4h]} and {@code b [1, 4h]}, so
 * unit {@code j} owns columns {@code j, h+j, 2h+j, 3h+j} of each (fan-in {@code 4·(nIn + h + 1)}),
 * row {@code j} of {@code RW} (what the other units read of it) and its row in the consumer — the
 * same ownership as the reference LSTM workload. Masked, every gate's pre-activation is {@code 0},
 * so {@code g = tanh(0) = 0}, the cell stays {@code 0} and {@code h_j = o·tanh(0) = 0} exactly.
 */
public final class LstmAdapter implements LayerAdapter {

  @Override
  public boolean handles(Layer conf) {
    return conf instanceof LSTM;
  }

  @Override
  public List<Group> groups(Layer conf, int layerIndex, String name) {
    LSTM lstm = (LSTM) conf;
    int h = Math.toIntExact(lstm.getNOut());
    List<OwnedSlice> slices = new ArrayList<>();
    for (int block = 0; block < 4; block++) {
      long offset = (long) block * h;
      slices.add(
          new OwnedSlice(layerIndex, LSTMParamInitializer.INPUT_WEIGHT_KEY, 1, offset, true));
      slices.add(
          new OwnedSlice(layerIndex, LSTMParamInitializer.RECURRENT_WEIGHT_KEY, 1, offset, true));
      slices.add(new OwnedSlice(layerIndex, LSTMParamInitializer.BIAS_KEY, 1, offset, true));
    }
    slices.add(new OwnedSlice(layerIndex, LSTMParamInitializer.RECURRENT_WEIGHT_KEY, 0, 0, false));
    return List.of(new Group(name, NeuronKind.LSTM, h, 4L * (lstm.getNIn() + h + 1), 0, slices));
  }
}
