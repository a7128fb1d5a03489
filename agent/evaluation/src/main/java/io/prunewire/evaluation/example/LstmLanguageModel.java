package io.prunewire.evaluation.example;

import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * A word-level LSTM language model on WikiText-2: an embedding, two LSTM layers ({@code lstm1},
 * {@code lstm2}) and a softmax over the vocabulary, trained with Adam on windows of {@code bptt}
 * tokens of {@code batch} parallel streams of the training split (each window starts from a zero
 * state). Its metric is the test perplexity {@code exp(−(1/N) Σ log p(w_t | w_<t))} over the first
 * {@code testTokens} test tokens, read in windows of {@code bptt} that each start from a zero state
 * (so higher than with the state carried across windows).
 *
 * @param corpus the tokenised corpus, its vocabulary possibly limited
 * @param train the training split in {@code batch} parallel streams
 * @param test the first test tokens in 20 streams, for the perplexity
 * @param heldOut one window of 16 validation streams, for the listener's probes
 */
record LstmLanguageModel(
    WikiText2 corpus,
    MultiLayerNetwork network,
    int hidden,
    int embedding,
    int bptt,
    TokenBatches train,
    TokenBatches test,
    DataSet heldOut)
    implements ExampleNetwork {

  private static final int HELD_OUT_STREAMS = 16;
  private static final int TEST_STREAMS = 20;

  /** The model and its data for the given sizes, weights initialised from {@code seed}. */
  static LstmLanguageModel create(
      WikiText2 corpus,
      int embedding,
      int hidden,
      int batch,
      int bptt,
      int testTokens,
      double learningRate,
      long seed) {
    int v = corpus.vocabularySize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.XAVIER)
            .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
            .gradientNormalizationThreshold(1.0)
            .list()
            .layer(
                new EmbeddingSequenceLayer.Builder()
                    .name("embedding")
                    .nIn(v)
                    .nOut(embedding)
                    .outputDataFormat(RNNFormat.NCW)
                    .build())
            .layer(
                new LSTM.Builder()
                    .name("lstm1")
                    .nIn(embedding)
                    .nOut(hidden)
                    .activation(Activation.TANH)
                    .dataFormat(RNNFormat.NCW)
                    .build())
            .layer(
                new LSTM.Builder()
                    .name("lstm2")
                    .nIn(hidden)
                    .nOut(hidden)
                    .activation(Activation.TANH)
                    .dataFormat(RNNFormat.NCW)
                    .build())
            .layer(
                new RnnOutputLayer.Builder(new LossSparseMCXENT())
                    .name("output")
                    .nIn(hidden)
                    .nOut(v)
                    .activation(Activation.SOFTMAX)
                    .dataFormat(RNNFormat.NCW)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    int[] testIds = corpus.tokens(Split.TEST);
    int[] validIds = corpus.tokens(Split.VALID);
    return new LstmLanguageModel(
        corpus,
        net,
        hidden,
        embedding,
        bptt,
        TokenBatches.of(corpus.tokens(Split.TRAIN), batch),
        TokenBatches.of(Arrays.copyOf(testIds, Math.min(testIds.length, testTokens)), TEST_STREAMS),
        TokenBatches.of(Arrays.copyOf(validIds, HELD_OUT_STREAMS * (bptt + 1)), HELD_OUT_STREAMS)
            .window(0, bptt));
  }

  @Override
  public String title() {
    return "LSTM language model on WikiText-2";
  }

  @Override
  public String shape() {
    return String.format(
        Locale.ROOT,
        "embedding %d, 2 LSTM layers of %d, vocabulary %,d; batches of %d x %d tokens",
        embedding,
        hidden,
        corpus.vocabularySize(),
        train.batchSize(),
        bptt);
  }

  @Override
  public String id() {
    return "lm";
  }

  @Override
  public int prunableNeurons() {
    return 2 * hidden;
  }

  @Override
  public DataSet batch(int step) {
    return train.window(step % train.windowCount(bptt), bptt);
  }

  @Override
  public String metricName() {
    return "perplexity";
  }

  @Override
  public double testMetric() {
    double logLikelihood = 0;
    long count = 0;
    for (int w = 0; w < test.windowCount(bptt); w++) {
      DataSet window = test.window(w, bptt);
      INDArray p = network.output(window.getFeatures(), false);
      INDArray targets = window.getLabels();
      for (int b = 0; b < targets.size(0); b++) {
        for (int t = 0; t < targets.size(2); t++) {
          logLikelihood += Math.log(p.getDouble(b, targets.getInt(b, 0, t), t));
          count++;
        }
      }
    }
    return Math.exp(-logLikelihood / count);
  }
}
