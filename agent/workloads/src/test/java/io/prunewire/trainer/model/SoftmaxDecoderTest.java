package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * The fused decoder against DL4J's own RnnOutputLayer with sparse MCXENT: same score, gradients,
 * outputs.
 */
class SoftmaxDecoderTest {
  private static final int IN = 4;
  private static final int VOCABULARY = 7;
  private MultiLayerNetwork fused;
  private MultiLayerNetwork reference;
  private INDArray x;
  private INDArray labels;

  @BeforeEach
  void build() {
    fused = network(new SoftmaxDecoder(IN, VOCABULARY, new WeightInitUniform()));
    reference =
        network(
            new RnnOutputLayer.Builder(new LossSparseMCXENT())
                .nIn(IN)
                .nOut(VOCABULARY)
                .dataFormat(RNNFormat.NCW)
                .activation(Activation.SOFTMAX)
                .build());
    Nd4j.getRandom().setSeed(3);
    INDArray params = Nd4j.randn(DataType.DOUBLE, 1, fused.numParams());
    fused.setParams(params);
    reference.setParams(params.dup());
    x = Nd4j.randn(DataType.DOUBLE, 3, IN, 5);
    labels = Nd4j.create(DataType.DOUBLE, 3, 1, 5);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 5; t++) {
        labels.putScalar(new long[] {b, 0, t}, (b * 5 + t * 3) % VOCABULARY);
      }
    }
  }

  private static MultiLayerNetwork network(Layer decoder) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .miniBatch(false)
                .updater(new Sgd(0.1))
                .list()
                .layer(decoder)
                .build());
    net.init();
    return net;
  }

  @Test
  void scoreGradientAndOutputEqualDl4jSparseCrossEntropy() {
    for (MultiLayerNetwork net : new MultiLayerNetwork[] {fused, reference}) {
      net.setInput(x);
      net.setLabels(labels);
      net.computeGradientAndScore();
    }
    assertThat(fused.score()).isCloseTo(reference.score(), within(1e-9));
    assertThat(fused.score()).isGreaterThan(1.0);
    INDArray g = fused.gradient().gradient();
    INDArray expected = reference.gradient().gradient();
    assertThat(g.distance2(expected)).isLessThan(1e-9 * (1 + expected.norm2Number().doubleValue()));
    assertThat(expected.norm2Number().doubleValue()).isGreaterThan(0.1);
    assertThat(fused.output(x).equalsWithEps(reference.output(x), 1e-12)).isTrue();
  }

  @Test
  void aSecondPassOfTheSameWindowGivesTheSameResult() {
    fused.setInput(x);
    fused.setLabels(labels);
    fused.computeGradientAndScore();
    double score = fused.score();
    INDArray gradient = fused.gradient().gradient().dup();
    fused.computeGradientAndScore();
    assertThat(fused.score()).isEqualTo(score);
    assertThat(fused.gradient().gradient()).isEqualTo(gradient);
  }

  @Test
  void inferenceAfterTrainingIgnoresTheLastWindowsLabels() {
    fused.fit(new org.nd4j.linalg.dataset.DataSet(x, labels));
    reference.setParams(fused.params().dup());
    // another batch size and length than the labels DL4J still holds from fitting
    INDArray other = Nd4j.randn(DataType.DOUBLE, 2, IN, 7);
    assertThat(fused.output(other).equalsWithEps(reference.output(other), 1e-12)).isTrue();
    fused.rnnClearPreviousState();
    assertThat(fused.rnnTimeStep(other).shape()).containsExactly(2, VOCABULARY, 7);
  }

  @Test
  void aLabelOutsideTheVocabularyIsRefusedByName() {
    labels.putScalar(new long[] {1, 0, 2}, VOCABULARY);
    fused.setInput(x);
    fused.setLabels(labels);
    org.assertj.core.api.Assertions.assertThatThrownBy(fused::computeGradientAndScore)
        .hasMessageContaining("label 7.0 is not a word id in [0, 7)");
  }
}
