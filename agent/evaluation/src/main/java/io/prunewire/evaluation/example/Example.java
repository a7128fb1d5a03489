package io.prunewire.evaluation.example;

import io.prunewire.evaluation.demo.EmbeddedDeployment;
import io.prunewire.service.AgentConfig;
import io.prunewire.trainer.data.Split;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code prunewire example}: two networks that are not the project's own models — an LSTM language
 * model on WikiText-2 and an MLP on Fashion-MNIST, both plain DL4J {@code MultiLayerNetwork}s —
 * each trained with the {@code PruningListener} attached through the public API and pruned by a
 * running agent over a real (embedded) Kafka broker, one after the other.
 */
public final class Example {

  private Example() {}

  /** Runs both networks with {@code settings}, printing progress to {@code out}. */
  public static List<NetworkReport> run(ExampleSettings s, PrintStream out) throws Exception {
    out.printf(Locale.ROOT, "loading WikiText-2 (vocabulary limit %,d) ...%n", s.vocabulary());
    WikiText2 corpus = WikiText2.load(s.vocabulary());
    out.printf(
        Locale.ROOT,
        "WikiText-2: %,d training, %,d validation, %,d test tokens; vocabulary %,d%n",
        corpus.tokenCount(Split.TRAIN),
        corpus.tokenCount(Split.VALID),
        corpus.tokenCount(Split.TEST),
        corpus.vocabularySize());
    FashionMnist images = FashionMnist.load();
    List<ExampleNetwork> networks =
        List.of(
            LstmLanguageModel.create(
                corpus,
                s.lmEmbedding(),
                s.lmHidden(),
                s.lmBatch(),
                s.lmBptt(),
                s.lmTestTokens(),
                s.lmLearningRate(),
                s.seed()),
            DenseClassifier.create(
                images,
                s.mlpHidden1(),
                s.mlpHidden2(),
                s.mlpBatch(),
                s.mlpLearningRate(),
                s.seed()));
    int[] steps = {s.lmSteps(), s.mlpSteps()};
    AgentConfig agent = AgentConfig.builder().metricsBind("127.0.0.1").metricsPort(0).build();
    List<NetworkReport> reports = new ArrayList<>();
    try (EmbeddedDeployment deployment = EmbeddedDeployment.start(agent, out)) {
      for (int i = 0; i < networks.size(); i++) {
        ExampleNetwork n = networks.get(i);
        out.printf(
            Locale.ROOT,
            "%s: %s; %,d parameters; %d steps, %d checkpoints to %.0f%% of %d hidden neurons%n",
            n.title(),
            n.shape(),
            n.network().numParams(),
            s.trainedSteps(steps[i]),
            s.checkpoints(),
            100 * s.target(),
            n.prunableNeurons());
        reports.add(ExampleRun.run(n, steps[i], s, deployment));
      }
    }
    return reports;
  }
}
