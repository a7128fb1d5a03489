package io.prunewire.trainer.probe;

import io.prunewire.trainer.mask.LayerOwnership;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny double-precision recurrent networks for probe tests: SimpleRnn(3→3) → LSTM(3→2) → out(2→2).
 */
public final class TinyNets {

  public static final int IN = 3;
  public static final int RNN = 3;
  public static final int LSTM_UNITS = 2;
  public static final int OUT = 2;

  private TinyNets() {}

  public static MultiLayerNetwork recurrent(long seed) {
    return recurrent(seed, new Sgd(0.1));
  }

  public static MultiLayerNetwork recurrent(long seed, IUpdater updater) {
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.DOUBLE)
            .updater(updater)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(new SimpleRnn.Builder().nIn(IN).nOut(RNN).activation(Activation.TANH).build())
            .layer(new LSTM.Builder().nIn(RNN).nOut(LSTM_UNITS).activation(Activation.TANH).build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(LSTM_UNITS)
                    .nOut(OUT)
                    .activation(Activation.IDENTITY)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** A fixed random batch of {@code examples} sequences of length {@code steps}. */
  public static ProbeBatch batch(long seed, int examples, int steps) {
    Nd4j.getRandom().setSeed(seed);
    return ProbeBatch.of(
        Nd4j.randn(DataType.DOUBLE, examples, IN, steps),
        Nd4j.randn(DataType.DOUBLE, examples, OUT, steps));
  }

  /**
   * Incoming weights per neuron: the SimpleRnn's W and RW columns, the LSTM's four gate columns of
   * W and RW.
   */
  public static List<LayerCoordinates> incoming(MultiLayerNetwork net) {
    List<LayerCoordinates> out = new ArrayList<>();
    int[][] rnn = new int[RNN][];
    for (int i = 0; i < RNN; i++) {
      rnn[i] =
          concat(FlatParameters.slice(net, 0, "W", 1, i), FlatParameters.slice(net, 0, "RW", 1, i));
    }
    out.add(new LayerCoordinates("rnn", rnn));
    int[][] lstm = new int[LSTM_UNITS][];
    for (int i = 0; i < LSTM_UNITS; i++) {
      int[] all = new int[0];
      for (int g = 0; g < 4; g++) {
        all = concat(all, FlatParameters.slice(net, 1, "W", 1, i + (long) g * LSTM_UNITS));
        all = concat(all, FlatParameters.slice(net, 1, "RW", 1, i + (long) g * LSTM_UNITS));
      }
      lstm[i] = all;
    }
    out.add(new LayerCoordinates("lstm", lstm));
    return out;
  }

  /**
   * Everything each neuron of the tiny network owns, from the definition of a neuron in
   * docs/DESIGN.md, "Words".
   */
  public static List<LayerOwnership> ownership(MultiLayerNetwork net) {
    List<LayerOwnership> out = new ArrayList<>();
    int[][] rnn = new int[TinyNets.RNN][];
    for (int i = 0; i < TinyNets.RNN; i++) {
      rnn[i] =
          concat(
              FlatParameters.slice(net, 0, "W", 1, i),
              FlatParameters.slice(net, 0, "RW", 1, i),
              FlatParameters.slice(net, 0, "RW", 0, i),
              FlatParameters.slice(net, 0, "b", 1, i),
              FlatParameters.slice(net, 1, "W", 0, i));
    }
    out.add(new LayerOwnership("rnn", rnn));
    int n = TinyNets.LSTM_UNITS;
    int[][] lstm = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] all =
          concat(FlatParameters.slice(net, 1, "RW", 0, i), FlatParameters.slice(net, 2, "W", 0, i));
      for (int g = 0; g < 4; g++) {
        all =
            concat(
                all,
                FlatParameters.slice(net, 1, "W", 1, i + g * n),
                FlatParameters.slice(net, 1, "RW", 1, i + g * n),
                FlatParameters.slice(net, 1, "b", 1, i + g * n));
      }
      lstm[i] = all;
    }
    out.add(new LayerOwnership("lstm", lstm));
    return out;
  }

  static int[] concat(int[]... parts) {
    return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
  }
}
