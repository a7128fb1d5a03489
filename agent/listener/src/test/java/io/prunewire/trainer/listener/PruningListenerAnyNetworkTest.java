package io.prunewire.trainer.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.network.LayerGradients;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.PrunableLayers;
import io.prunewire.trainer.network.SmallNets;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The listener on plain DL4J networks: an MLP of dense layers and a two-layer LSTM. */
class PruningListenerAnyNetworkTest {

  /**
   * An in-process agent that prunes {@code prune} (layer → neurons) of {@code layers} at the first
   * checkpoint.
   */
  static void agent(
      InMemoryTelemetrySink sink, List<PrunableLayer> layers, Map<String, int[]> prune) {
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            List<DecisionEvent.LayerDecision> decisions = new ArrayList<>();
            for (PrunableLayer l : layers) {
              boolean[] keep = new boolean[l.neurons()];
              Arrays.fill(keep, true);
              for (int n : prune.getOrDefault(l.name(), new int[0])) {
                keep[n] = false;
              }
              decisions.add(
                  new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
            }
            sink.deliver(
                new DecisionEvent(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    decisions,
                    new LinkedHashMap<>(),
                    "test",
                    List.of()));
          }
        });
  }

  /**
   * The listener the end-to-end tests attach (held-out data set on {@code builder}): every
   * iteration sampled, summaries every 5, a checkpoint every 10.
   */
  static PruningListener listener(PruningListener.Builder builder, InMemoryTelemetrySink sink) {
    return builder
        .sink(sink)
        .runId("r")
        .sampleEvery(1)
        .publishEvery(5)
        .checkpointEvery(10, 1, AblationProbe.builder().singles(2).groups(0).build())
        .decisionTimeout(Duration.ofSeconds(10))
        .build()
        .attach();
  }

  @Test
  void anMlpIsObservedAndPrunedByName() {
    MultiLayerNetwork net = SmallNets.mlp(7);
    DataSet train = SmallNets.flat(6, 4, 11);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    agent(sink, PrunableLayers.find(net), Map.of("d1", new int[] {1}, "d2", new int[] {0}));
    PruningListener listener =
        listener(PruningListener.forNetwork(net).heldOut(SmallNets.flat(8, 4, 12)), sink);
    for (int i = 0; i < 20; i++) {
      net.fit(train);
    }

    assertTheMlpWasObservedAndPruned(sink, listener);
    assertPrunedOutputsAreZero(net.feedForward(train.getFeatures(), false).get(1), 1);
    assertPrunedOutputsAreZero(net.feedForward(train.getFeatures(), false).get(2), 0);
    assertTrainingGoesOn(net, () -> net.fit(train), () -> net.score(train), layer(net, "d1"), 1);
    listener.close();
  }

  @Test
  void aListenerAddedWithoutAttachStopsTheFirstIterationAndSaysToAttach() {
    MultiLayerNetwork net = SmallNets.mlp(7);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener =
        PruningListener.forNetwork(net)
            .heldOut(SmallNets.flat(8, 4, 12))
            .sink(sink)
            .runId("r")
            .build();
    net.addListeners(listener);

    assertThatThrownBy(() -> net.fit(SmallNets.flat(6, 4, 11)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run r")
        .hasMessageContaining("listener.attach()");
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void anLstmNetworkIsObservedAndPruned() {
    MultiLayerNetwork net = SmallNets.lstm(7);
    DataSet train = SmallNets.sequences(4, 3, 6, 11);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    agent(sink, PrunableLayers.find(net), Map.of("l1", new int[] {2}, "l2", new int[] {0}));
    PruningListener listener =
        listener(PruningListener.forNetwork(net).heldOut(SmallNets.sequences(4, 3, 6, 12)), sink);
    for (int i = 0; i < 20; i++) {
      net.fit(train);
    }

    RunStarted run = sink.events(RunStarted.class).get(0);
    assertThat(run.layers()).extracting(LayerSpec::name).containsExactly("l1", "l2");
    assertThat(run.layers()).extracting(LayerSpec::kind).containsOnly(LayerKind.LSTM);
    assertThat(run.layers()).extracting(LayerSpec::neurons).containsExactly(4, 3);
    assertThat(run.layers()).extracting(LayerSpec::fanIn).containsExactly(32, 32);
    List<ActivationSummaryEvent> acts = sink.events(ActivationSummaryEvent.class);
    // five sampled iterations of four sequences of six steps
    assertThat(acts)
        .hasSize(8)
        .allSatisfy(a -> assertThat(a.summary().value().count()).isEqualTo(120));
    ActivationSummaryEvent lastL1 = acts.get(6);
    assertThat(lastL1.layer()).isEqualTo("l1");
    assertThat(lastL1.summary().value().max(2)).isEqualTo(0.0);
    assertThat(lastL1.summary().value().min(2)).isEqualTo(0.0);
    assertThat(lastL1.summary().value().max(1)).isNotEqualTo(0.0);
    assertThat(sink.events(DecisionAck.class)).hasSize(2);
    assertPrunedOutputsAreZero(net.feedForward(train.getFeatures(), false).get(1), 2);
    assertPrunedOutputsAreZero(net.feedForward(train.getFeatures(), false).get(2), 0);
    assertTrainingGoesOn(net, () -> net.fit(train), () -> net.score(train), layer(net, "l1"), 2);
    listener.close();
  }

  @Test
  void summariesAreTheNetworksOwnActivations() {
    MultiLayerNetwork net = SmallNets.mlp(5);
    DataSet train = SmallNets.flat(6, 4, 3);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    observing(PruningListener.forNetwork(net).layers("d2"), sink, 1);
    net.fit(train);
    // Observed after the update, on the batch just trained on: what the network now outputs.
    INDArray a = net.feedForward(train.getFeatures(), false).get(2);
    assertSummaryIs(sink.events(ActivationSummaryEvent.class).get(0), "d2", a);
  }

  @Test
  void fittingAnIteratorIsObservedOnEveryBatch() {
    MultiLayerNetwork net = SmallNets.mlp(2);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener = observing(PruningListener.forNetwork(net).layers(1), sink, 5);
    net.fit(new ListDataSetIterator<>(SmallNets.flat(40, 4, 1).asList(), 8));
    listener.close();
    // five batches of eight, every one sampled
    assertThat(sink.events(ActivationSummaryEvent.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.layer()).isEqualTo("d2");
              assertThat(a.summary().value().count()).isEqualTo(40);
            });
  }

  /**
   * Another listener that runs the network on other data inside {@code iterationDone} replaces the
   * network's input before the PruningListener's turn: the observation pass must use the training
   * batch it recorded, not whatever the network holds then.
   */
  @Test
  void anEvaluationByAnEarlierListenerIsNotObserved() {
    MultiLayerNetwork net = SmallNets.lstm(3);
    DataSet train = SmallNets.sequences(4, 3, 6, 11);
    DataSet other = SmallNets.sequences(2, 3, 5, 12);
    net.addListeners(
        new BaseTrainingListener() {
          @Override
          public void iterationDone(Model model, int iteration, int epoch) {
            net.output(other.getFeatures(), false);
          }
        });
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener =
        PruningListener.forNetwork(net)
            .sink(sink)
            .runId("r")
            .sampleEvery(1)
            .publishEvery(2)
            .weightStatistics(false)
            .build()
            .attach();
    net.fit(train);
    net.fit(train);
    listener.close();
    // two sampled iterations of four sequences of six steps, per layer
    assertThat(sink.events(ActivationSummaryEvent.class))
        .hasSize(2)
        .allSatisfy(a -> assertThat(a.summary().value().count()).isEqualTo(48));
  }

  /** The README's "Prune your own network" snippet, kept compiling and running here. */
  @Test
  void theReadmeSnippetRuns() {
    MultiLayerNetwork net = SmallNets.mlp(1);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    DataSetIterator trainData = new ListDataSetIterator<>(SmallNets.flat(40, 4, 1).asList(), 8);
    DataSetIterator validationData =
        new ListDataSetIterator<>(SmallNets.flat(16, 4, 2).asList(), 8);
    int epochs = 2;
    // --- README snippet ---
    PruningListener listener =
        PruningListener.forNetwork(net) // your initialised MultiLayerNetwork
            .sink(sink) // e.g. a KafkaTelemetrySink to the agent
            .runId("my-run")
            .heldOut(validationData) // probes and ablations measure on it
            .checkpointEvery(500, 8, AblationProbe.builder().build()) // agent decides every 500
            .build()
            .attach();
    net.fit(trainData, epochs);
    listener.close();
    // --- end of snippet ---
    assertThat(sink.events(RunStarted.class)).hasSize(1);
    assertThat(net.getIterationCount()).isEqualTo(10);
  }

  @Test
  void paddedTimeStepsAreLeftOutOfTheSummaries() {
    MultiLayerNetwork net = SmallNets.lstm(3);
    assertPaddedStepsAreLeftOut(net, TrainedNetwork.of(net), net::fit, 0);
  }

  /**
   * One sampled iteration on padded sequences: layer {@code layer}'s published summaries count the
   * real time steps only, and their means are those of each example alone, cut to its length, with
   * no mask (DL4J's loss is a sum over examples, so an example's {@code ε} does not depend on the
   * others).
   */
  static void assertPaddedStepsAreLeftOut(
      Model model, TrainedNetwork net, Consumer<DataSet> fit, int layer) {
    int[] lengths = {4, 6, 2};
    DataSet padded = SmallNets.padded(3, lengths, 9);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    observing(
        model instanceof MultiLayerNetwork m
            ? PruningListener.forNetwork(m)
            : PruningListener.forNetwork((ComputationGraph) model),
        sink,
        1);
    fit.accept(padded);

    ActivationSummaryEvent acts = sink.events(ActivationSummaryEvent.class).get(0);
    GradientSummaryEvent grads = sink.events(GradientSummaryEvent.class).get(0);
    assertThat(acts.summary().value().count()).isEqualTo(4 + 6 + 2);
    assertThat(grads.summary().gradient().count()).isEqualTo(4 + 6 + 2);
    int neurons = acts.summary().neurons();
    double[] a = new double[neurons];
    double[] eps = new double[neurons];
    for (int b = 0; b < lengths.length; b++) {
      INDArrayIndex steps = NDArrayIndex.interval(0, lengths[b]);
      INDArrayIndex example = NDArrayIndex.interval(b, b + 1);
      DataSet alone =
          new DataSet(
              padded.getFeatures().get(example, NDArrayIndex.all(), steps).dup(),
              padded.getLabels().get(example, NDArrayIndex.all(), steps).dup());
      LayerGradients g = net.pass(alone, Set.of(layer));
      addColumnSums(g.activations().get(layer), a);
      addColumnSums(g.gradients().get(layer), eps);
    }
    // the listener summarises float32 copies: 1e-7 is a few float roundings at these sizes
    for (int j = 0; j < neurons; j++) {
      assertThat(acts.summary().value().mean(j)).isCloseTo(a[j] / 12, within(1e-7));
      assertThat(grads.summary().gradient().mean(j)).isCloseTo(eps[j] / 12, within(1e-7));
    }
  }

  /**
   * The events of twenty iterations of {@link SmallNets#mlp}'s layers d1, d2 (or a graph's of the
   * same names) under {@link #listener}, with d1's neuron 1 and d2's neuron 0 pruned at step 10.
   */
  static void assertTheMlpWasObservedAndPruned(
      InMemoryTelemetrySink sink, PruningListener listener) {
    RunStarted run = sink.events(RunStarted.class).get(0);
    assertThat(run.layers())
        .containsExactly(
            new LayerSpec("d1", LayerKind.DENSE, 5, 4, run.layers().get(0).owners()),
            new LayerSpec("d2", LayerKind.DENSE, 3, 5, run.layers().get(1).owners()));
    // Four windows of five sampled iterations of six examples, per layer.
    List<ActivationSummaryEvent> acts = sink.events(ActivationSummaryEvent.class);
    assertThat(acts)
        .extracting(ActivationSummaryEvent::layer)
        .containsExactly("d1", "d2", "d1", "d2", "d1", "d2", "d1", "d2");
    assertThat(acts).allSatisfy(a -> assertThat(a.summary().value().count()).isEqualTo(30));
    assertThat(acts.get(0).summary().neurons()).isEqualTo(5);
    List<GradientSummaryEvent> grads = sink.events(GradientSummaryEvent.class);
    assertThat(grads).hasSize(8);
    // Before the decision every neuron's gradient moves; after it the pruned ones are exactly 0.
    assertThat(grads.get(0).summary().gradient().max(1) - grads.get(0).summary().gradient().min(1))
        .isGreaterThan(0);
    GradientSummaryEvent lastD1 = grads.get(6);
    ActivationSummaryEvent lastD1Acts = acts.get(6);
    assertThat(lastD1.layer()).isEqualTo("d1");
    assertThat(lastD1Acts.summary().value().max(1)).isEqualTo(0.0);
    assertThat(lastD1Acts.summary().value().min(1)).isEqualTo(0.0);
    assertThat(lastD1.summary().gradient().max(1)).isEqualTo(0.0);
    assertThat(lastD1.summary().gradient().min(1)).isEqualTo(0.0);
    assertThat(lastD1.summary().gate().max(1)).isEqualTo(0.0);

    List<DecisionAck> acks = sink.events(DecisionAck.class);
    assertThat(acks).hasSize(2);
    assertThat(acks.get(1).maskHash()).isEqualTo(listener.masks().hash());
  }

  /**
   * A listener sampling every iteration of the layers chosen on {@code builder}, publishing every
   * {@code publishEvery}, without weight statistics or checkpoints.
   */
  static PruningListener observing(
      PruningListener.Builder builder, InMemoryTelemetrySink sink, int publishEvery) {
    return builder
        .sink(sink)
        .runId("r")
        .sampleEvery(1)
        .publishEvery(publishEvery)
        .weightStatistics(false)
        .build()
        .attach();
  }

  /** {@code event} is layer {@code layer}'s and summarises the columns of {@code a}. */
  static void assertSummaryIs(ActivationSummaryEvent event, String layer, INDArray a) {
    assertThat(event.layer()).isEqualTo(layer);
    for (int i = 0; i < a.size(1); i++) {
      assertThat(event.summary().value().mean(i))
          .isCloseTo(a.getColumn(i).meanNumber().doubleValue(), within(1e-6));
      assertThat(event.summary().value().max(i))
          .isCloseTo(a.getColumn(i).maxNumber().doubleValue(), within(1e-6));
    }
  }

  /** Adds column {@code j}'s sum of {@code x} ({@code [batch, n(, time)]}) to {@code sums[j]}. */
  private static void addColumnSums(INDArray x, double[] sums) {
    for (int j = 0; j < sums.length; j++) {
      sums[j] += x.get(NDArrayIndex.all(), NDArrayIndex.point(j)).sumNumber().doubleValue();
    }
  }

  /** Column {@code neuron} of a layer's output is exactly zero on every example, others not. */
  static void assertPrunedOutputsAreZero(INDArray out, int neuron) {
    INDArray column =
        out.rank() == 3
            ? out.get(NDArrayIndex.all(), NDArrayIndex.point(neuron), NDArrayIndex.all())
            : out.get(NDArrayIndex.all(), NDArrayIndex.point(neuron));
    assertThat(column.amaxNumber().doubleValue()).isEqualTo(0.0);
    assertThat(out.amaxNumber().doubleValue()).isGreaterThan(0.0);
  }

  private static PrunableLayer layer(MultiLayerNetwork net, String name) {
    return PrunableLayers.find(net).stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Five more iterations move the kept weights of {@code layer}, leave everything its neuron {@code
   * pruned} owns 0, and lower the loss.
   */
  static void assertTrainingGoesOn(
      Model net, Runnable fit, DoubleSupplier score, PrunableLayer layer, int pruned) {
    int[][] owned = LayerOwnership.of(net, layer).owned();
    int kept = pruned == 0 ? 1 : 0;
    INDArray before = net.params().dup();
    double scoreBefore = score.getAsDouble();
    for (int i = 0; i < 5; i++) {
      fit.run();
    }
    for (int j : owned[pruned]) {
      assertThat(net.params().getDouble(j)).isEqualTo(0.0);
    }
    assertThat(
            Arrays.stream(owned[kept])
                .anyMatch(j -> net.params().getDouble(j) != before.getDouble(j)))
        .isTrue();
    assertThat(score.getAsDouble()).isLessThan(scoreBefore);
  }
}
