package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.agent;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.assertPaddedStepsAreLeftOut;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.assertPrunedOutputsAreZero;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.assertSummaryIs;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.assertTheMlpWasObservedAndPruned;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.assertTrainingGoesOn;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.listener;
import static io.prunewire.trainer.listener.PruningListenerAnyNetworkTest.observing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.PrunableLayers;
import io.prunewire.trainer.network.SmallGraphs;
import io.prunewire.trainer.network.SmallNets;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestMultiDataSetIterator;

/**
 * The listener on DL4J computation graphs, as {@link PruningListenerAnyNetworkTest} on networks.
 */
class PruningListenerGraphTest {

  private static PrunableLayer layer(ComputationGraph graph, String name) {
    return PrunableLayers.find(graph).stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aGraphIsObservedAndPrunedWithMultiDataSetHeldOutData() {
    ComputationGraph graph = SmallGraphs.mlp(7);
    DataSet train = SmallNets.flat(6, 4, 11);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    agent(sink, PrunableLayers.find(graph), Map.of("d1", new int[] {1}, "d2", new int[] {0}));
    MultiDataSetIterator heldOut =
        new MultiDataSetIteratorAdapter(
            new ListDataSetIterator<>(SmallNets.flat(8, 4, 12).asList(), 4));
    PruningListener listener = listener(PruningListener.forNetwork(graph).heldOut(heldOut), sink);
    for (int i = 0; i < 20; i++) {
      graph.fit(train);
    }

    assertTheMlpWasObservedAndPruned(sink, listener);
    Map<String, INDArray> out = graph.feedForward(train.getFeatures(), false);
    assertPrunedOutputsAreZero(out.get("d1"), 1);
    assertPrunedOutputsAreZero(out.get("d2"), 0);
    assertTrainingGoesOn(
        graph, () -> graph.fit(train), () -> graph.score(train), layer(graph, "d1"), 1);
    listener.close();
  }

  @Test
  void anLstmGraphIsObservedAndPruned() {
    ComputationGraph graph = SmallGraphs.lstm(7);
    DataSet train = SmallNets.sequences(4, 3, 6, 11);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    agent(sink, PrunableLayers.find(graph), Map.of("l1", new int[] {2}));
    PruningListener listener =
        listener(
            PruningListener.forNetwork(graph)
                .heldOut(new ListDataSetIterator<>(SmallNets.sequences(4, 3, 6, 12).asList(), 2)),
            sink);
    for (int i = 0; i < 20; i++) {
      graph.fit(train);
    }

    RunStarted run = sink.events(RunStarted.class).get(0);
    assertThat(run.layers()).extracting(LayerSpec::name).containsExactly("l1");
    assertThat(run.layers()).extracting(LayerSpec::fanIn).containsExactly(32);
    List<ActivationSummaryEvent> acts = sink.events(ActivationSummaryEvent.class);
    // five sampled iterations of four sequences of six steps
    assertThat(acts)
        .hasSize(4)
        .allSatisfy(a -> assertThat(a.summary().value().count()).isEqualTo(120));
    assertThat(acts.get(3).summary().value().max(2)).isEqualTo(0.0);
    assertThat(acts.get(3).summary().value().min(2)).isEqualTo(0.0);
    assertThat(acts.get(3).summary().value().max(1)).isNotEqualTo(0.0);
    assertThat(sink.events(DecisionAck.class)).hasSize(2);
    assertPrunedOutputsAreZero(graph.feedForward(train.getFeatures(), false).get("l1"), 2);
    assertTrainingGoesOn(
        graph, () -> graph.fit(train), () -> graph.score(train), layer(graph, "l1"), 2);
    listener.close();
  }

  @Test
  void summariesAreTheGraphsOwnActivationsOfTheNamedVertex() {
    ComputationGraph graph = SmallGraphs.mlp(5);
    DataSet train = SmallNets.flat(6, 4, 3);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    observing(PruningListener.forNetwork(graph).layers("d2"), sink, 1);
    graph.fit(train);
    // Observed after the update, on the batch just trained on: what the graph now outputs.
    INDArray a = graph.feedForward(train.getFeatures(), false).get("d2");
    assertSummaryIs(sink.events(ActivationSummaryEvent.class).get(0), "d2", a);
  }

  @Test
  void fittingAnIteratorIsObservedOnEveryBatch() {
    ComputationGraph graph = SmallGraphs.mlp(2);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener = observing(PruningListener.forNetwork(graph).layers("d2"), sink, 5);
    graph.fit(new ListDataSetIterator<>(SmallNets.flat(40, 4, 1).asList(), 8));
    listener.close();
    assertThat(sink.events(ActivationSummaryEvent.class))
        .singleElement()
        .satisfies(a -> assertThat(a.summary().value().count()).isEqualTo(40));
  }

  @Test
  void paddedTimeStepsAreLeftOutOfTheSummaries() {
    ComputationGraph graph = SmallGraphs.lstm(3);
    assertPaddedStepsAreLeftOut(
        graph, TrainedNetwork.of(graph), graph::fit, SmallGraphs.index(graph, "l1"));
  }

  /** The graph snippet of docs/LISTENER.md "Your own network", kept compiling and running here. */
  @Test
  void theListenerDocSnippetRuns() {
    ComputationGraph graph = SmallGraphs.mlp(1);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    DataSetIterator trainData = new ListDataSetIterator<>(SmallNets.flat(40, 4, 1).asList(), 8);
    MultiDataSetIterator validationMultiData =
        new MultiDataSetIteratorAdapter(
            new ListDataSetIterator<>(SmallNets.flat(16, 4, 2).asList(), 8));
    int epochs = 2;
    // --- docs/LISTENER.md snippet ---
    PruningListener listener =
        PruningListener.forNetwork(graph) // your initialised ComputationGraph
            .sink(sink)
            .runId("my-run")
            .layers("d1", "d2") // optional: vertex names
            .heldOut(validationMultiData) // MultiDataSetIterator, DataSetIterator or DataSet
            .checkpointEvery(500, 8, AblationProbe.builder().build())
            .build()
            .attach();
    graph.fit(trainData, epochs);
    listener.close();
    // --- end of snippet ---
    assertThat(sink.events(RunStarted.class))
        .singleElement()
        .satisfies(
            r -> assertThat(r.layers()).extracting(LayerSpec::name).containsExactly("d1", "d2"));
    assertThat(graph.getIterationCount()).isEqualTo(10);
  }

  @Test
  void whatIsNotSupportedIsSaid() {
    assertThatThrownBy(() -> PruningListener.forNetwork(SmallGraphs.twoInputs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputs [x, y]")
        .hasMessageContaining("one input and one output");
    ComputationGraph graph = SmallGraphs.mlp(1);
    DataSet d = SmallNets.flat(4, 4, 1);
    MultiDataSet twoFeatures =
        new MultiDataSet(
            new INDArray[] {d.getFeatures(), d.getFeatures()}, new INDArray[] {d.getLabels()});
    assertThatThrownBy(
            () ->
                PruningListener.forNetwork(graph)
                    .heldOut(new TestMultiDataSetIterator(1, twoFeatures)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 features arrays");
    assertThatThrownBy(
            () ->
                PruningListener.forNetwork(graph)
                    .sink(new InMemoryTelemetrySink())
                    .runId("r")
                    .layers(0)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vertex name");
  }
}
