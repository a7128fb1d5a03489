package io.prunewire.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ε_l = ∂L/∂a_l} from {@link LayerGradients} against central finite differences of the
 * summed loss of the network's tail (layers {@code l+1..}, a separate DL4J network with the same
 * parameters) fed the perturbed output {@code a_l ± h}.
 */
class LayerGradientsTest {

  private static final double H = 1e-6;

  @Test
  void denseLayersGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.mlp(3);
    DataSet data = SmallNets.flat(6, 4, 5);
    checkAgainstFiniteDifferences(net, data, 0);
    checkAgainstFiniteDifferences(net, data, 1);
  }

  @Test
  void lstmLayersGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.lstm(3);
    DataSet data = SmallNets.sequences(3, 3, 5, 5);
    checkAgainstFiniteDifferences(net, data, 0);
    checkAgainstFiniteDifferences(net, data, 1);
  }

  @Test
  void simpleRnnGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.simpleRnn(3);
    DataSet data = SmallNets.sequences(3, 3, 5, 5);
    checkAgainstFiniteDifferences(net, data, 0);
  }

  @Test
  void thePassLeavesTheTrainingGradientAlone() {
    MultiLayerNetwork net = SmallNets.mlp(3);
    DataSet data = SmallNets.flat(6, 4, 5);
    net.setInput(data.getFeatures());
    net.setLabels(data.getLabels());
    net.computeGradientAndScore();
    INDArray before = net.getGradientsViewArray().dup();
    LayerGradients.of(net, SmallNets.flat(6, 4, 9).getFeatures(), data.getLabels(), Set.of(0, 1));
    assertThat(net.getGradientsViewArray()).isEqualTo(before);
  }

  private static void checkAgainstFiniteDifferences(MultiLayerNetwork net, DataSet data, int l) {
    LayerGradients g = LayerGradients.of(net, data.getFeatures(), data.getLabels(), Set.of(l));
    // c order, so that flat index k is the same element of a and ε
    INDArray a = g.activations().get(l).dup('c');
    INDArray eps = g.gradients().get(l).dup('c');
    // The activations are the network's own forward pass.
    INDArray expected = net.feedForward(data.getFeatures(), false).get(l + 1);
    assertThat(a.equalsWithEps(expected, 1e-12)).isTrue();
    assertThat(eps.shape()).isEqualTo(a.shape());

    MultiLayerNetwork tail = tail(net, l);
    long batch = data.getFeatures().size(0);
    double largest = 0;
    for (long k = 0; k < a.length(); k++) {
      INDArray plus = a.dup();
      INDArray minus = a.dup();
      plus.data().put(k, a.data().getDouble(k) + H);
      minus.data().put(k, a.data().getDouble(k) - H);
      // DL4J's score is the batch mean; ε is the gradient of the batch sum.
      double numeric =
          batch
              * (tail.score(new DataSet(plus, data.getLabels()), false)
                  - tail.score(new DataSet(minus, data.getLabels()), false))
              / (2 * H);
      double analytic = eps.data().getDouble(k);
      assertThat(analytic).as("ε[%d] of layer %d", k, l).isCloseTo(numeric, within(1e-6));
      largest = Math.max(largest, Math.abs(analytic));
    }
    // Not vacuous: the gradients are not all zero.
    assertThat(largest).isGreaterThan(1e-3);
  }

  /** Layers {@code l+1..} of {@code net} as a network of their own with the same parameters. */
  private static MultiLayerNetwork tail(MultiLayerNetwork net, int l) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list();
    long offset = 0;
    for (int i = 0; i <= l; i++) {
      offset += net.getLayer(i).numParams();
    }
    for (int i = l + 1; i < net.getnLayers(); i++) {
      list.layer(net.getLayer(i).conf().getLayer().clone());
    }
    MultiLayerNetwork tail = new MultiLayerNetwork(list.build());
    tail.init();
    tail.setParams(net.params().get(NDArrayIndex.interval(offset, net.numParams())).dup());
    return tail;
  }
}
