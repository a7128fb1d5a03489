package io.prunewire.trainer.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import io.prunewire.trainer.gate.GateLayerInstance;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.network.PrunableLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A PTB language-model workload: the network, its data, its configuration and its neuron ownership.
 * Training runs an epoch as one truncated-BPTT pass over the batchified training split, so the
 * recurrent state is carried across windows for the whole epoch (the reference inits the hidden
 * state once per epoch) and DL4J calls training listeners once per window.
 *
 * <p>Network layout: {@code 0 embedding, 1 hidden-1, 2 gate-1, 3 hidden-2, 4 gate-2, 5 decoder};
 * see {@link #prunableLayers()} for who owns what. Losses are mean cross-entropy per token in nats.
 */
public final class Workload {
  private static final String MODEL_FILE = "model.zip";
  private static final String STATE_FILE = "workload.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkloadConfig config;
  private final PtbCorpus corpus;
  private final MultiLayerNetwork network;
  private final List<PrunableLayer> prunable;
  private final WindowListener windows = new WindowListener();
  private int completedEpochs;

  private Workload(
      WorkloadConfig config, PtbCorpus corpus, MultiLayerNetwork network, int completedEpochs) {
    if (corpus.vocabulary().size() != config.vocabulary()) {
      throw new IllegalArgumentException(
          "config vocabulary "
              + config.vocabulary()
              + " differs from the corpus's "
              + corpus.vocabulary().size());
    }
    this.config = config;
    this.corpus = corpus;
    this.network = network;
    this.prunable = Networks.prunableLayers(config);
    this.completedEpochs = completedEpochs;
    List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();
    listeners.add(new PerTokenGradient());
    if (config.clip() > 0) {
      listeners.add(new GlobalNormClipping(config.clip()));
    }
    listeners.add(windows);
    network.setListeners(listeners);
  }

  /** A freshly initialised network for {@code config} over {@code corpus}. */
  public static Workload create(WorkloadConfig config, PtbCorpus corpus) {
    MultiLayerNetwork network = new MultiLayerNetwork(Networks.configuration(config));
    network.init();
    return new Workload(config, corpus, network, 0);
  }

  /** Restores a workload saved by {@link #save(Path)} (parameters, updater state, epoch count). */
  public static Workload restore(Path dir, PtbCorpus corpus) {
    try {
      com.fasterxml.jackson.databind.JsonNode tree =
          JSON.readTree(dir.resolve(STATE_FILE).toFile());
      if (tree.path("config").isObject() && !tree.path("config").has("embeddingInit")) {
        // Saved before the setting existed, when every embedding started in ±0.1.
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("config"))
            .put("embeddingInit", 0.1);
      }
      if (tree.path("config").isObject() && !tree.path("config").has("optimizer")) {
        // Saved before the setting existed, when every workload trained with momentum SGD.
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("config"))
            .put("optimizer", Optimizer.SGD.name());
      }
      Saved saved = JSON.treeToValue(tree, Saved.class);
      MultiLayerNetwork network =
          ModelSerializer.restoreMultiLayerNetwork(dir.resolve(MODEL_FILE).toFile(), true);
      return new Workload(saved.config(), corpus, network, saved.completedEpochs());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore workload from " + dir, e);
    }
  }

  /**
   * Writes {@code model.zip} (DL4J, with updater state) and {@code workload.json} into {@code dir}.
   */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      ModelSerializer.writeModel(network, dir.resolve(MODEL_FILE).toFile(), true);
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve(STATE_FILE).toFile(), new Saved(config, completedEpochs));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save workload to " + dir, e);
    }
  }

  private record Saved(WorkloadConfig config, int completedEpochs) {}

  public WorkloadConfig config() {
    return config;
  }

  public PtbCorpus corpus() {
    return corpus;
  }

  public MultiLayerNetwork network() {
    return network;
  }

  /** The prunable neuron groups with their parameter ownership. */
  public List<PrunableLayer> prunableLayers() {
    return prunable;
  }

  /** The runtime gate layer at network index {@code layerIndex}. */
  public GateLayerInstance gate(int layerIndex) {
    Layer layer = network.getLayer(layerIndex);
    if (!(layer instanceof GateLayerInstance gate)) {
      throw new IllegalArgumentException(
          "layer " + layerIndex + " is not a gate layer: " + layer.getClass().getSimpleName());
    }
    return gate;
  }

  /** Installs {@code observer} on every gate layer. */
  public void setGateObserver(GateObserver observer) {
    Objects.requireNonNull(observer, "observer");
    for (Layer layer : network.getLayers()) {
      if (layer instanceof GateLayerInstance gate) {
        gate.setObserver(observer);
      }
    }
  }

  /**
   * Replaces the epoch schedule by a constant learning rate for the rest of this workload's
   * training. {@code 0} freezes the weights while training listeners still see the activations and
   * gradients of every window (a telemetry pass over a fixed checkpoint).
   */
  public void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and >= 0, got " + learningRate);
    }
    network.setLearningRate(learningRate);
  }

  /** Epochs trained so far (restored with the workload). */
  public int completedEpochs() {
    return completedEpochs;
  }

  /** Progress of one training window, reported synchronously. */
  public record WindowProgress(int window, int windows, long tokens, double loss) {}

  /** Callback for {@link #trainEpoch}. */
  @FunctionalInterface
  public interface ProgressCallback {
    void onWindow(WindowProgress progress);
  }

  /**
   * Trains one epoch over the training split and returns the mean training loss (nats/token,
   * weighted by window length). The learning rate follows the epoch schedule.
   */
  public double trainEpoch(ProgressCallback progress) {
    TokenBatches batches = corpus.batches(Split.TRAIN, config.batch());
    int windowCount = batches.windowCount(config.bptt());
    windows.start(batches.batchSize(), batches.steps() - 1, config.bptt(), windowCount, progress);
    try {
      network.fit(batches.all());
    } finally {
      windows.stop();
    }
    network.incrementEpochCount();
    completedEpochs++;
    return windows.meanLoss();
  }

  /**
   * Trains {@code steps} windows over as many epochs of the training split as they span: whole
   * epochs first (each following the learning-rate schedule and counted), then the first windows of
   * one more epoch. Progress counts windows and tokens over all of them; returns the mean training
   * loss (nats/token) of the last epoch or part trained.
   */
  public double train(int steps, ProgressCallback progress) {
    if (steps < 1) {
      throw new IllegalArgumentException("train: steps must be >= 1, got " + steps);
    }
    TokenBatches batches = corpus.batches(Split.TRAIN, config.batch());
    int perEpoch = batches.windowCount(config.bptt());
    int[] done = {0};
    long[] tokens = {0};
    ProgressCallback overall =
        p ->
            progress.onWindow(
                new WindowProgress(done[0] + p.window(), steps, tokens[0] + p.tokens(), p.loss()));
    double loss = Double.NaN;
    while (steps - done[0] >= perEpoch) {
      loss = trainEpoch(overall);
      done[0] += perEpoch;
      tokens[0] += (long) (batches.steps() - 1) * batches.batchSize();
    }
    int rest = steps - done[0];
    if (rest > 0) {
      DataSet part = batches.prefix(rest, config.bptt());
      windows.start(batches.batchSize(), part.getFeatures().size(2), config.bptt(), rest, overall);
      try {
        network.fit(part);
      } finally {
        windows.stop();
      }
      loss = windows.meanLoss();
    }
    return loss;
  }

  /** Windows of one training epoch over this workload's training split. */
  public int windowsPerEpoch() {
    return corpus.batches(Split.TRAIN, config.batch()).windowCount(config.bptt());
  }

  /**
   * Perplexity {@code exp(mean NLL)} of {@code split} with batch {@code evalBatch}, windows of
   * {@code bptt}, RNN state carried across windows and the spiking membranes reset per window, as
   * the reference {@code evaluate()}.
   */
  public double evaluatePerplexity(Split split) {
    return evaluate(split).perplexity();
  }

  /** {@link #evaluatePerplexity} with the summed NLL and tokens of every window, for resampling. */
  public Evaluation evaluate(Split split) {
    TokenBatches batches = corpus.batches(split, config.evalBatch());
    Map<Integer, RecurrentState> saved = saveRecurrentState();
    network.rnnClearPreviousState();
    int count = batches.windowCount(config.bptt());
    double[] nll = new double[count];
    long[] tokens = new long[count];
    try {
      for (int w = 0; w < count; w++) {
        DataSet window = batches.window(w, config.bptt());
        INDArray probabilities = network.rnnTimeStep(window.getFeatures());
        nll[w] = sumNll(probabilities, window.getLabels());
        tokens[w] = window.getLabels().length();
      }
    } finally {
      restoreRecurrentState(saved);
    }
    return new Evaluation(nll, tokens);
  }

  /**
   * Window {@code index} of {@code split} batchified with the training batch size: a probe batch.
   */
  public DataSet probeBatch(Split split, int index) {
    return corpus.batches(split, config.batch()).window(index, config.bptt());
  }

  /** How many windows {@link #probeBatch} has on {@code split}. */
  public int probeBatchCount(Split split) {
    return corpus.batches(split, config.batch()).windowCount(config.bptt());
  }

  /**
   * Mean NLL (nats/token) of {@code batch} in inference mode (no dropout) from zero recurrent
   * state; training state is untouched and gate observers are not called.
   */
  public double loss(DataSet batch) {
    return probing(
        () -> {
          INDArray probabilities = network.output(batch.getFeatures(), false);
          return sumNll(probabilities, batch.getLabels()) / batch.getLabels().length();
        });
  }

  /** Loss and gradient of a probe batch; see {@link #lossGradient(DataSet)}. */
  public record LossGradient(double loss, INDArray gradient) {}

  /**
   * Loss (mean nats/token) and the full flattened gradient (a detached copy, DL4J's parameter
   * order; gate entries are zero, gate gradients go to the {@link GateObserver}) of {@code batch},
   * deterministic: dropout off, zero initial recurrent state, full BPTT over the batch; no update
   * is applied, training state (recurrent state, input, labels) is restored and gate observers are
   * not called. For Hutchinson probes and ablations.
   */
  public LossGradient lossGradient(DataSet batch) {
    return probing(
        () -> {
          Map<Integer, IDropout> dropouts = new HashMap<>();
          Layer[] layers = network.getLayers();
          for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            dropouts.put(i, conf.getIDropout());
            conf.setIDropout(null);
          }
          try {
            network.setInput(batch.getFeatures());
            network.setLabels(batch.getLabels());
            network.computeGradientAndScore();
            long tokens = PerTokenGradient.tokens(network);
            return new LossGradient(
                network.score() / tokens, network.gradient().gradient().div(tokens));
          } finally {
            dropouts.forEach((i, d) -> layers[i].conf().getLayer().setIDropout(d));
          }
        });
  }

  private <T> T probing(Supplier<T> probe) {
    Map<Integer, RecurrentState> saved = saveRecurrentState();
    INDArray input = network.getInput();
    INDArray labels = network.getLabels();
    Map<Integer, GateObserver> observers = new HashMap<>();
    Layer[] layers = network.getLayers();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] instanceof GateLayerInstance gate) {
        observers.put(i, gate.observer());
        gate.setObserver(GateObserver.NONE);
      }
    }
    network.rnnClearPreviousState();
    try {
      return probe.get();
    } finally {
      observers.forEach((i, o) -> ((GateLayerInstance) layers[i]).setObserver(o));
      restoreRecurrentState(saved);
      network.setInput(input);
      network.setLabels(labels);
    }
  }

  /** A recurrent layer's stored (inference) and truncated-BPTT state. */
  private record RecurrentState(Map<String, INDArray> stored, Map<String, INDArray> tbptt) {}

  /** Copies of every recurrent layer's state maps, keyed by layer index. */
  private Map<Integer, RecurrentState> saveRecurrentState() {
    Map<Integer, RecurrentState> saved = new HashMap<>();
    Layer[] layers = network.getLayers();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] instanceof RecurrentLayer r) {
        saved.put(
            i,
            new RecurrentState(
                new HashMap<>(r.rnnGetPreviousState()), new HashMap<>(r.rnnGetTBPTTState())));
      }
    }
    return saved;
  }

  private void restoreRecurrentState(Map<Integer, RecurrentState> saved) {
    saved.forEach(
        (i, state) -> {
          RecurrentLayer r = (RecurrentLayer) network.getLayer(i);
          r.rnnSetPreviousState(state.stored());
          r.rnnSetTBPTTState(state.tbptt());
        });
  }

  /**
   * {@code Σ −ln p[target]} over a {@code [batch, vocab, time]} softmax output and {@code [batch,
   * 1, time]} ids.
   */
  static double sumNll(INDArray probabilities, INDArray labels) {
    long batch = labels.size(0);
    long time = labels.size(2);
    double sum = 0;
    for (long b = 0; b < batch; b++) {
      for (long t = 0; t < time; t++) {
        int target = (int) labels.getDouble(b, 0, t);
        sum -= Math.log(probabilities.getDouble(b, target, t));
      }
    }
    return sum;
  }

  /** Counts windows and tokens during one epoch's fit and forwards progress. */
  private static final class WindowListener extends BaseTrainingListener {
    private ProgressCallback callback;
    private int batch;
    private long steps;
    private int bptt;
    private int windowCount;
    private int window;
    private long tokens;
    private double lossSum;

    void start(int batch, long steps, int bptt, int windowCount, ProgressCallback callback) {
      this.callback = callback;
      this.batch = batch;
      this.steps = steps;
      this.bptt = bptt;
      this.windowCount = windowCount;
      this.window = 0;
      this.tokens = 0;
      this.lossSum = 0;
    }

    void stop() {
      callback = null;
    }

    double meanLoss() {
      return lossSum / tokens;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      if (callback == null) {
        return;
      }
      long windowTokens = Math.min(bptt, steps - (long) window * bptt) * batch;
      // miniBatch(false): DL4J's score is the summed NLL of the window
      double loss = model.score() / windowTokens;
      tokens += windowTokens;
      lossSum += loss * windowTokens;
      window++;
      callback.onWindow(new WindowProgress(window, windowCount, tokens, loss));
    }
  }
}
