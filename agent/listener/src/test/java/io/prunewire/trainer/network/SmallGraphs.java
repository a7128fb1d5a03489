package io.prunewire.trainer.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny double-precision computation graphs for the any-network tests; data from {@link SmallNets}.
 */
public final class SmallGraphs {
  private SmallGraphs() {}

  /**
   * {@code in → d1 (Dense 4→5, tanh) → a, b (Dense 5→3, tanh each) → m (merge, 6) → out (softmax
   * 6→2)}: d1 is read by two layers, a and b by a merge vertex.
   */
  public static ComputationGraph branches(long seed) {
    ComputationGraphConfiguration conf =
        builder(seed)
            .addInputs("in")
            .addLayer("d1", dense(4, 5), "in")
            .addLayer("a", dense(5, 3), "d1")
            .addLayer("b", dense(5, 3), "d1")
            .addVertex("m", new MergeVertex(), "a", "b")
            .addLayer("out", output(6), "m")
            .setOutputs("out")
            .build();
    return init(conf);
  }

  /** Layers {@code a, b, m, out} of {@link #branches}: input {@code x} is d1's output. */
  public static ComputationGraph branchesAfterD1() {
    return init(
        builder(0)
            .addInputs("x")
            .addLayer("a", dense(5, 3), "x")
            .addLayer("b", dense(5, 3), "x")
            .addVertex("m", new MergeVertex(), "a", "b")
            .addLayer("out", output(6), "m")
            .setOutputs("out")
            .build());
  }

  /**
   * Vertices {@code m, out} of {@link #branches}: inputs {@code xa, xb} are a's and b's outputs.
   */
  public static ComputationGraph branchesAfterA() {
    return init(
        builder(0)
            .addInputs("xa", "xb")
            .addVertex("m", new MergeVertex(), "xa", "xb")
            .addLayer("out", output(6), "m")
            .setOutputs("out")
            .build());
  }

  /** {@code in → d1 (Dense 4→5) → d2 (Dense 5→3) → out (softmax 3→2)}, as {@link SmallNets#mlp}. */
  public static ComputationGraph mlp(long seed) {
    return init(
        builder(seed)
            .addInputs("in")
            .addLayer("d1", dense(4, 5), "in")
            .addLayer("d2", dense(5, 3), "d1")
            .addLayer("out", output(3), "d2")
            .setOutputs("out")
            .build());
  }

  /** {@code in → l1 (LSTM 3→4) → out (softmax RNN output 4→2)}. */
  public static ComputationGraph lstm(long seed) {
    return init(
        builder(seed)
            .addInputs("in")
            .addLayer("l1", lstmLayer(), "in")
            .addLayer("out", rnnOutput(), "l1")
            .setOutputs("out")
            .build());
  }

  /** Layer {@code out} of {@link #lstm}: input {@code x} is l1's output. */
  public static ComputationGraph lstmAfterL1() {
    return init(
        builder(0).addInputs("x").addLayer("out", rnnOutput(), "x").setOutputs("out").build());
  }

  /** Two inputs, which Prunewire does not support. */
  public static ComputationGraph twoInputs() {
    return init(
        builder(0)
            .addInputs("x", "y")
            .addLayer("d1", dense(4, 5), "x")
            .addLayer("d2", dense(4, 5), "y")
            .addVertex("m", new MergeVertex(), "d1", "d2")
            .addLayer("out", output(10), "m")
            .setOutputs("out")
            .build());
  }

  /** The position of vertex {@code name}'s layer in {@code graph.getLayers()}. */
  public static int index(ComputationGraph graph, String name) {
    Layer[] layers = graph.getLayers();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == graph.getLayer(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no layer " + name);
  }

  private static ComputationGraphConfiguration.GraphBuilder builder(long seed) {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.DOUBLE)
        .updater(new Sgd(0.1))
        .graphBuilder();
  }

  private static DenseLayer dense(int in, int out) {
    return new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.TANH).build();
  }

  private static OutputLayer output(int in) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(in)
        .nOut(2)
        .activation(Activation.SOFTMAX)
        .build();
  }

  private static LSTM lstmLayer() {
    return new LSTM.Builder()
        .nIn(3)
        .nOut(4)
        .activation(Activation.TANH)
        .dataFormat(RNNFormat.NCW)
        .build();
  }

  private static RnnOutputLayer rnnOutput() {
    return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(4)
        .nOut(2)
        .activation(Activation.SOFTMAX)
        // without input types a graph's RNN output layer does not default to [batch, size, time]
        .dataFormat(RNNFormat.NCW)
        .build();
  }

  private static ComputationGraph init(ComputationGraphConfiguration conf) {
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return graph;
  }
}
