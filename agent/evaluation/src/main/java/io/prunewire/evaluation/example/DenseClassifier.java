package io.prunewire.evaluation.example;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * An MLP of two ReLU {@code DenseLayer}s ({@code dense1}, {@code dense2}) and a softmax over the
 * ten classes, classifying Fashion-MNIST images (784 pixels in [0, 1]) and trained with Adam. The
 * vendored training images are split once: the first ones train, the last {@value #HELD_OUT} are
 * the held-out batch of the probes; the metric is the accuracy on the 1,500 vendored test images.
 */
record DenseClassifier(
    MultiLayerNetwork network,
    int hidden1,
    int hidden2,
    int batchSize,
    List<DataSet> batches,
    DataSet heldOut,
    DataSet test)
    implements ExampleNetwork {

  /** Training images kept back as the probes' held-out batch. */
  static final int HELD_OUT = 1000;

  /** The classifier and its data for the given widths, weights initialised from {@code seed}. */
  static DenseClassifier create(
      FashionMnist data, int hidden1, int hidden2, int batch, double learningRate, long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.RELU)
            .list()
            .layer(
                new DenseLayer.Builder()
                    .name("dense1")
                    .nIn(FashionMnist.PIXELS)
                    .nOut(hidden1)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new DenseLayer.Builder()
                    .name("dense2")
                    .nIn(hidden1)
                    .nOut(hidden2)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .name("output")
                    .nIn(hidden2)
                    .nOut(FashionMnist.CLASSES)
                    .activation(Activation.SOFTMAX)
                    .weightInit(WeightInit.XAVIER)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    DataSet all = data.train();
    int n = all.numExamples();
    DataSet train = (DataSet) all.getRange(0, n - HELD_OUT);
    DataSet heldOut = (DataSet) all.getRange(n - HELD_OUT, n);
    return new DenseClassifier(
        net, hidden1, hidden2, batch, train.batchBy(batch), heldOut, data.test());
  }

  @Override
  public String title() {
    return "MLP on Fashion-MNIST";
  }

  @Override
  public String shape() {
    return String.format(
        Locale.ROOT,
        "784 -> dense %d -> dense %d -> 10 classes; batches of %d of %,d training images",
        hidden1,
        hidden2,
        batchSize,
        batches.stream().mapToInt(DataSet::numExamples).sum());
  }

  @Override
  public String id() {
    return "mlp";
  }

  @Override
  public int prunableNeurons() {
    return hidden1 + hidden2;
  }

  @Override
  public DataSet batch(int step) {
    return batches.get(step % batches.size());
  }

  @Override
  public String metricName() {
    return "accuracy";
  }

  @Override
  public double testMetric() {
    INDArray predicted = network.output(test.getFeatures(), false).argMax(1);
    INDArray actual = test.getLabels().argMax(1);
    return predicted
        .eq(actual)
        .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
        .meanNumber()
        .doubleValue();
  }
}
