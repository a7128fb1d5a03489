package io.prunewire.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlatParametersTest {

  /**
   * Brute force: write each flat position's own index into the parameters and read the view back.
   */
  @Test
  void slicesPointAtTheViewsElements() {
    MultiLayerNetwork net = TinyNets.recurrent(1);
    INDArray flat = net.params();
    flat.assign(Nd4j.arange(flat.length()).castTo(flat.dataType()).reshape(flat.shape()));
    for (int layer = 0; layer < 2; layer++) {
      for (String key : new String[] {"W", "RW", "b"}) {
        INDArray view = net.getLayer(layer).getParam(key);
        if (view.rank() == 1) {
          view = view.reshape(1, view.length());
        }
        for (int axis = 0; axis < 2; axis++) {
          for (long index = 0; index < view.size(axis); index++) {
            INDArray expected = axis == 0 ? view.getRow(index) : view.getColumn(index);
            int[] got = FlatParameters.slice(net, layer, key, axis, index);
            assertThat(got).hasSize((int) expected.length());
            for (int k = 0; k < got.length; k++) {
              assertThat((double) got[k]).isEqualTo(expected.getDouble(k));
            }
          }
        }
      }
    }
  }

  @Test
  void rejectsUnknownParameterAndOutOfRangeIndex() {
    MultiLayerNetwork net = TinyNets.recurrent(1);
    assertThatThrownBy(() -> FlatParameters.slice(net, 0, "nope", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> FlatParameters.slice(net, 0, "W", 1, TinyNets.RNN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index");
    assertThatThrownBy(() -> FlatParameters.slice(net, 7, "W", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer index");
  }
}
