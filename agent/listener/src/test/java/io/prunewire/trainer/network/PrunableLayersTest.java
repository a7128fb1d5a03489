package io.prunewire.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class PrunableLayersTest {

  @Test
  void findsTheDenseLayersOfAnMlpButNotItsOutputLayer() {
    List<PrunableLayer> layers = PrunableLayers.find(SmallNets.mlp(1));
    assertThat(layers).extracting(PrunableLayer::name).containsExactly("d1", "d2");
    assertThat(layers).extracting(PrunableLayer::neurons).containsExactly(5, 3);
    assertThat(layers).extracting(PrunableLayer::kind).containsOnly(NeuronKind.DENSE);
    assertThat(layers).extracting(PrunableLayer::fanIn).containsExactly(4L, 5L);
    // d1's unit j: column j of W and entry j of b, and row j of d2's W
    assertThat(layers.get(0).slices())
        .containsExactly(
            new OwnedSlice(0, "W", 1, 0, true),
            new OwnedSlice(0, "b", 1, 0, true),
            new OwnedSlice(1, "W", 0, 0, false));
    // d2's consumer is the output layer, which no adapter handles: its W rows all the same
    assertThat(layers.get(1).slices()).contains(new OwnedSlice(2, "W", 0, 0, false));
    assertThat(layers).extracting(PrunableLayer::gateLayer).containsExactly(0, 1);
  }

  @Test
  void findsTheLstmLayersWithTheirFourGateColumns() {
    List<PrunableLayer> layers = PrunableLayers.find(SmallNets.lstm(1));
    assertThat(layers).extracting(PrunableLayer::name).containsExactly("l1", "l2");
    assertThat(layers).extracting(PrunableLayer::neurons).containsExactly(4, 3);
    assertThat(layers.get(0).fanIn()).isEqualTo(4L * (3 + 4 + 1));
    assertThat(layers.get(0).slices())
        .contains(
            new OwnedSlice(0, "W", 1, 0, true),
            new OwnedSlice(0, "W", 1, 4, true),
            new OwnedSlice(0, "W", 1, 8, true),
            new OwnedSlice(0, "W", 1, 12, true),
            new OwnedSlice(0, "RW", 1, 12, true),
            new OwnedSlice(0, "b", 1, 12, true),
            new OwnedSlice(0, "RW", 0, 0, false),
            new OwnedSlice(1, "W", 0, 0, false));
    assertThat(layers.get(0).slices()).hasSize(4 * 3 + 2);
  }

  @Test
  void findsASimpleRnn() {
    List<PrunableLayer> layers = PrunableLayers.find(SmallNets.simpleRnn(1));
    assertThat(layers)
        .singleElement()
        .satisfies(l -> assertThat(l.kind()).isEqualTo(NeuronKind.RNN));
    assertThat(layers.get(0).fanIn()).isEqualTo(3 + 4 + 1);
  }

  @Test
  void theUserNamesTheLayersByNameOrIndex() {
    MultiLayerNetwork net = SmallNets.mlp(1);
    List<LayerAdapter> adapters = PrunableLayers.builtIn();
    assertThat(PrunableLayers.find(net, adapters, PrunableLayers.Selection.names("d2")))
        .extracting(PrunableLayer::name)
        .containsExactly("d2");
    assertThat(PrunableLayers.find(net, adapters, PrunableLayers.Selection.indices(0)))
        .extracting(PrunableLayer::name)
        .containsExactly("d1");
    assertThatThrownBy(
            () -> PrunableLayers.find(net, adapters, PrunableLayers.Selection.names("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output layer");
    assertThatThrownBy(
            () -> PrunableLayers.find(net, adapters, PrunableLayers.Selection.names("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[d1, d2, out]");
    // Without the dense adapter a named dense layer has nobody to read it.
    assertThatThrownBy(
            () ->
                PrunableLayers.find(
                    net, List.of(new LstmAdapter()), PrunableLayers.Selection.names("d1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no LayerAdapter");
  }

  @Test
  void findsAGraphsLayerVerticesButNotItsOutput() {
    ComputationGraph graph = SmallGraphs.mlp(1);
    List<PrunableLayer> layers = PrunableLayers.find(graph);
    assertThat(layers).extracting(PrunableLayer::name).containsExactly("d1", "d2");
    assertThat(layers).extracting(PrunableLayer::neurons).containsExactly(5, 3);
    assertThat(layers).extracting(PrunableLayer::fanIn).containsExactly(4L, 5L);
    int d1 = SmallGraphs.index(graph, "d1");
    int d2 = SmallGraphs.index(graph, "d2");
    int out = SmallGraphs.index(graph, "out");
    assertThat(layers.get(0).slices())
        .containsExactly(
            new OwnedSlice(d1, "W", 1, 0, true),
            new OwnedSlice(d1, "b", 1, 0, true),
            new OwnedSlice(d2, "W", 0, 0, false));
    assertThat(layers.get(1).slices()).contains(new OwnedSlice(out, "W", 0, 0, false));
    // observed at their own outputs
    assertThat(layers).extracting(PrunableLayer::gateLayer).containsExactly(d1, d2);
  }

  @Test
  void aGraphLayerReadByTwoLayersOwnsItsRowsInBoth() {
    ComputationGraph graph = SmallGraphs.branches(1);
    // a and b feed a merge vertex, whose reader's rows Prunewire cannot place: left out
    List<PrunableLayer> layers = PrunableLayers.find(graph);
    assertThat(layers).extracting(PrunableLayer::name).containsExactly("d1");
    assertThat(layers.get(0).slices())
        .contains(
            new OwnedSlice(SmallGraphs.index(graph, "a"), "W", 0, 0, false),
            new OwnedSlice(SmallGraphs.index(graph, "b"), "W", 0, 0, false));
  }

  @Test
  void theUserNamesAGraphsVertices() {
    ComputationGraph graph = SmallGraphs.branches(1);
    List<LayerAdapter> adapters = PrunableLayers.builtIn();
    assertThat(PrunableLayers.find(graph, adapters, PrunableLayers.Selection.names("d1")))
        .extracting(PrunableLayer::name)
        .containsExactly("d1");
    assertThatThrownBy(
            () -> PrunableLayers.find(graph, adapters, PrunableLayers.Selection.names("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer a feeds vertex m (MergeVertex)");
    assertThatThrownBy(
            () -> PrunableLayers.find(graph, adapters, PrunableLayers.Selection.names("m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vertex m (MergeVertex) is not a layer");
    assertThatThrownBy(
            () -> PrunableLayers.find(graph, adapters, PrunableLayers.Selection.names("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output layer");
    assertThatThrownBy(
            () -> PrunableLayers.find(graph, adapters, PrunableLayers.Selection.names("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no vertex named 'nope'")
        .hasMessageContaining("d1");
    assertThatThrownBy(
            () -> PrunableLayers.find(graph, adapters, PrunableLayers.Selection.indices(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("by vertex name");
  }

  @Test
  void aGraphWithTwoInputsIsRefusedByName() {
    assertThatThrownBy(() -> PrunableLayers.find(SmallGraphs.twoInputs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputs [x, y]")
        .hasMessageContaining("one input and one output");
  }

  @Test
  void anUnnamedLayerHasDl4jsDefaultName() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .list()
                .layer(
                    new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                        .nIn(2)
                        .nOut(3)
                        .build())
                .layer(
                    new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                        .nIn(3)
                        .nOut(2)
                        .build())
                .build());
    net.init();
    assertThat(PrunableLayers.find(net)).extracting(PrunableLayer::name).containsExactly("layer0");
  }
}
