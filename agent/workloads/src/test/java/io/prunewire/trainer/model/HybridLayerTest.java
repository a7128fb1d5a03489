package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J wiring of the hybrid layer in a double-precision network: hybrid(3 → 2 snn + 3 rnn) →
 * linear, MSE.
 */
class HybridLayerTest {
  private static final int SNN = 2;
  private static final int RNN = 3;
  private MultiLayerNetwork net;
  private INDArray x;
  private INDArray y;

  @BeforeEach
  void build() {
    net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1))
                .list()
                .layer(new HybridLayer(3, SNN, RNN))
                .layer(
                    new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(SNN + RNN)
                        .nOut(2)
                        .dataFormat(RNNFormat.NCW)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
    net.init();
    net.getLayer(0).getParam(HybridLayer.SNN_WEIGHTS).muli(4); // make the spiking half fire
    Nd4j.getRandom().setSeed(8);
    x = Nd4j.randn(DataType.DOUBLE, 2, 3, 6);
    y = Nd4j.randn(DataType.DOUBLE, 2, 2, 6);
  }

  @Test
  void outputIsConcatOfSpikesAndRnnStates() {
    INDArray out = net.feedForward(x, false).get(1);
    INDArray spikes = out.get(all(), interval(0, SNN), all());
    INDArray rnn = out.get(all(), interval(SNN, SNN + RNN), all());
    LifNeurons lif = new LifNeurons(0.6, 0.6, 0.5);
    INDArray rows = TimeMajor.rows(x);
    assertThat(spikes)
        .isEqualTo(
            sequence(
                lif.forward(rows, net.getLayer(0).getParam(HybridLayer.SNN_WEIGHTS), 2).spikes(),
                SNN));
    assertThat(spikes.sumNumber().doubleValue()).isPositive();
    assertThat(rnn)
        .isEqualTo(
            sequence(
                new SigmoidRecurrence()
                    .forward(
                        rows,
                        net.getLayer(0).getParam(HybridLayer.RNN_INPUT_WEIGHTS),
                        net.getLayer(0).getParam(HybridLayer.RNN_RECURRENT_WEIGHTS),
                        null,
                        2),
                RNN));
  }

  @Test
  void rnnHalfGradientsThroughTheNetworkMatchFiniteDifferences() {
    net.setInput(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    for (String key :
        new String[] {HybridLayer.RNN_INPUT_WEIGHTS, HybridLayer.RNN_RECURRENT_WEIGHTS}) {
      INDArray analytic = net.gradient().getGradientFor("0_" + key).dup();
      INDArray w = net.getLayer(0).getParam(key);
      double h = 1e-6;
      for (long i = 0; i < w.rows(); i++) {
        for (long j = 0; j < w.columns(); j++) {
          double saved = w.getDouble(i, j);
          w.putScalar(new long[] {i, j}, saved + h);
          double plus = net.score(new DataSet(x, y), false);
          w.putScalar(new long[] {i, j}, saved - h);
          double minus = net.score(new DataSet(x, y), false);
          w.putScalar(new long[] {i, j}, saved);
          // DL4J's score averages over the 2 sequences; backprop carries the summed loss
          assertThat(analytic.getDouble(i, j))
              .as("%s[%d,%d]", key, i, j)
              .isCloseTo(2 * (plus - minus) / (2 * h), within(1e-7));
        }
      }
    }
  }

  @Test
  void timeStepsCarryTheRnnStateAndResetTheMembrane() {
    INDArray whole = net.feedForward(x, false).get(1);
    HybridLayerInstance layer = (HybridLayerInstance) net.getLayer(0);
    layer.rnnClearPreviousState();
    INDArray first =
        layer
            .rnnTimeStep(x.get(all(), all(), interval(0, 3)), LayerWorkspaceMgr.noWorkspaces())
            .dup();
    INDArray second =
        layer
            .rnnTimeStep(x.get(all(), all(), interval(3, 6)), LayerWorkspaceMgr.noWorkspaces())
            .dup();

    assertThat(first).isEqualTo(whole.get(all(), all(), interval(0, 3)));
    assertThat(second.get(all(), interval(SNN, SNN + RNN), all()))
        .isEqualTo(whole.get(all(), interval(SNN, SNN + RNN), interval(3, 6)));
    INDArray restarted =
        sequence(
            new LifNeurons(0.6, 0.6, 0.5)
                .forward(
                    TimeMajor.rows(x.get(all(), all(), interval(3, 6))),
                    layer.getParam(HybridLayer.SNN_WEIGHTS),
                    2)
                .spikes(),
            SNN);
    assertThat(second.get(all(), interval(0, SNN), all())).isEqualTo(restarted);
  }

  /** A time-major trace of the 2 test sequences as {@code [2, width, time]}. */
  private static INDArray sequence(double[] values, int width) {
    return TimeMajor.ncw(
        TimeMajor.matrix(values, values.length / width, width, DataType.DOUBLE), 2);
  }
}
