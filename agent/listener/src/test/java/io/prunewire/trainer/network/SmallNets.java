package io.prunewire.trainer.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny double-precision user networks and synthetic data for the any-network tests. */
public final class SmallNets {
  private SmallNets() {}

  /** Dense(4→5, tanh) "d1", Dense(5→3, tanh) "d2", softmax output(3→2) "out". */
  public static MultiLayerNetwork mlp(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.DOUBLE)
            .updater(new Sgd(0.1))
            .list()
            .layer(
                new DenseLayer.Builder()
                    .name("d1")
                    .nIn(4)
                    .nOut(5)
                    .activation(Activation.TANH)
                    .build())
            .layer(
                new DenseLayer.Builder()
                    .name("d2")
                    .nIn(5)
                    .nOut(3)
                    .activation(Activation.TANH)
                    .build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .name("out")
                    .nIn(3)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** LSTM(3→4) "l1", LSTM(4→3) "l2", softmax RNN output(3→2) "out". */
  public static MultiLayerNetwork lstm(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.DOUBLE)
            .updater(new Sgd(0.1))
            .list()
            .layer(new LSTM.Builder().name("l1").nIn(3).nOut(4).activation(Activation.TANH).build())
            .layer(new LSTM.Builder().name("l2").nIn(4).nOut(3).activation(Activation.TANH).build())
            .layer(rnnOutput(3))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** SimpleRnn(3→4, tanh) "r1", softmax RNN output(4→2) "out". */
  public static MultiLayerNetwork simpleRnn(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.DOUBLE)
            .updater(new Sgd(0.1))
            .list()
            .layer(
                new SimpleRnn.Builder()
                    .name("r1")
                    .nIn(3)
                    .nOut(4)
                    .activation(Activation.TANH)
                    .build())
            .layer(rnnOutput(4))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static RnnOutputLayer rnnOutput(int in) {
    return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .name("out")
        .nIn(in)
        .nOut(2)
        .activation(Activation.SOFTMAX)
        .build();
  }

  /** Features {@code [batch, in]} in U(−1, 1) and one-hot labels {@code [batch, 2]}. */
  public static DataSet flat(int batch, int in, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.rand(DataType.DOUBLE, batch, in).muli(2).subi(1);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 2);
    for (int b = 0; b < batch; b++) {
      // a learnable rule: class 1 when the first two features sum to more than 0
      y.putScalar(b, x.getDouble(b, 0) + x.getDouble(b, 1) > 0 ? 1 : 0, 1.0);
    }
    return new DataSet(x, y);
  }

  /**
   * Sequences {@code [batch, in, time]} in U(−1, 1) and one-hot labels {@code [batch, 2, time]}.
   */
  public static DataSet sequences(int batch, int in, int time, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.rand(DataType.DOUBLE, batch, in, time).muli(2).subi(1);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 2, time);
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        y.putScalar(new long[] {b, x.getDouble(b, 0, t) > 0 ? 1 : 0, t}, 1.0);
      }
    }
    return new DataSet(x, y);
  }

  /**
   * {@link #sequences} of length {@code max(lengths)} padded after example {@code b}'s first {@code
   * lengths[b]} steps: features there are 5 (far from the data), labels class 0, and the features
   * and labels masks 0.
   */
  public static DataSet padded(int in, int[] lengths, long seed) {
    int time = java.util.Arrays.stream(lengths).max().orElseThrow();
    DataSet d = sequences(lengths.length, in, time, seed);
    INDArray mask = Nd4j.zeros(DataType.DOUBLE, lengths.length, time);
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < time; t++) {
        if (t < lengths[b]) {
          mask.putScalar(b, t, 1.0);
        } else {
          for (int i = 0; i < in; i++) {
            d.getFeatures().putScalar(new long[] {b, i, t}, 5.0);
          }
          d.getLabels().putScalar(new long[] {b, 0, t}, 1.0);
          d.getLabels().putScalar(new long[] {b, 1, t}, 0.0);
        }
      }
    }
    return new DataSet(d.getFeatures(), d.getLabels(), mask, mask.dup());
  }
}
