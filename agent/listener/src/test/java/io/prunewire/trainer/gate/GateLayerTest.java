package io.prunewire.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The gate on a small double-precision dense network: dense(tanh) → gate → linear output, MSE. */
class GateLayerTest {
  private static final int IN = 3;
  private static final int N = 4;
  private MultiLayerNetwork net;
  private INDArray features;
  private INDArray labels;
  private final List<INDArray> forwards = new ArrayList<>();
  private final List<INDArray[]> backwards = new ArrayList<>();

  @BeforeEach
  void build() {
    net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(N).activation(Activation.TANH).build())
                .layer(new GateLayer(N))
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(N)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
    net.init();
    Nd4j.getRandom().setSeed(9);
    features = Nd4j.randn(DataType.DOUBLE, 5, IN);
    labels = Nd4j.randn(DataType.DOUBLE, 5, 2);
    gate()
        .setObserver(
            new GateObserver() {
              @Override
              public void forward(int layerIndex, INDArray activations, boolean training) {
                forwards.add(activations.detach());
              }

              @Override
              public void backward(
                  int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {
                backwards.add(
                    new INDArray[] {activations.detach(), epsilon.detach(), gateGradient.detach()});
              }
            });
  }

  private GateLayerInstance gate() {
    return (GateLayerInstance) net.getLayer(1);
  }

  @Test
  void isTheIdentityAndReportsActivationsInForward() {
    INDArray dense = net.feedForward(features, false).get(1);
    INDArray gated = net.feedForward(features, false).get(2);
    assertThat(gated).isEqualTo(dense);
    assertThat(forwards).isNotEmpty();
    assertThat(forwards.get(forwards.size() - 1)).isEqualTo(dense);
  }

  @Test
  void gateGradientIsSumOfActivationTimesEpsilonAndMatchesFiniteDifferences() {
    net.setInput(features);
    net.setLabels(labels);
    net.computeGradientAndScore();
    assertThat(net.gradient().getGradientFor("1_" + GateLayer.GATE_KEY).norm1Number().doubleValue())
        .isZero();
    assertThat(backwards).hasSize(1);
    INDArray[] seen = backwards.get(0);
    INDArray z = seen[2];
    INDArray sumAEps = seen[0].mul(seen[1]).sum(0);
    INDArray g = net.getLayer(1).getParam(GateLayer.GATE_KEY);
    double h = 1e-6;
    for (int i = 0; i < N; i++) {
      assertThat(z.getDouble(0, i)).isCloseTo(sumAEps.getDouble(i), within(1e-12));
      g.putScalar(0, i, 1 + h);
      double plus = net.score(new org.nd4j.linalg.dataset.DataSet(features, labels), true);
      g.putScalar(0, i, 1 - h);
      double minus = net.score(new org.nd4j.linalg.dataset.DataSet(features, labels), true);
      g.putScalar(0, i, 1);
      // DL4J's score averages over the 5 examples; backprop carries the summed loss
      assertThat(z.getDouble(0, i)).isCloseTo(5 * (plus - minus) / (2 * h), within(1e-7));
    }
  }

  @Test
  void gatesStayOneWhileOtherWeightsTrain() {
    INDArray w = net.getLayer(0).getParam("W").dup();
    for (int k = 0; k < 5; k++) {
      net.fit(features, labels);
    }
    assertThat(net.getLayer(1).getParam(GateLayer.GATE_KEY))
        .isEqualTo(Nd4j.ones(DataType.DOUBLE, 1, N));
    assertThat(net.getLayer(0).getParam("W")).isNotEqualTo(w);
  }

  @Test
  void maskZeroesOutputGateGradientAndBackflowOfMaskedNeurons() {
    gate().setMask(new boolean[] {true, false, true, true});
    assertThat(gate().mask()).containsExactly(true, false, true, true);
    INDArray out = net.feedForward(features, false).get(2);
    assertThat(out.getColumn(1).sumNumber().doubleValue()).isZero();
    assertThat(out.getColumn(0)).isEqualTo(net.feedForward(features, false).get(1).getColumn(0));
    net.setInput(features);
    net.setLabels(labels);
    net.computeGradientAndScore();
    assertThat(backwards.get(backwards.size() - 1)[2].getDouble(0, 1)).isZero();
    assertThat(backwards.get(backwards.size() - 1)[2].getDouble(0, 0)).isNotZero();
    INDArray denseW = net.gradient().getGradientFor("0_W");
    assertThat(denseW.getColumn(1).norm2Number().doubleValue()).isZero();
    assertThat(denseW.getColumn(0).norm2Number().doubleValue()).isPositive();
  }

  @Test
  void rejectsMaskOfWrongLength() {
    assertThatThrownBy(() -> gate().setMask(new boolean[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gate layer 1")
        .hasMessageContaining("3 entries for 4 neurons");
  }
}
