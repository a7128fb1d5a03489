package io.prunewire.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ε_l = ∂L/∂a_l} from {@link LayerGradients} against central finite differences of the
 * summed loss of the network's tail (layers {@code l+1..}, or a graph's vertices after {@code l}: a
 * separate DL4J network with the same parameters) fed the perturbed output {@code a_l ± h}.
 */
class LayerGradientsTest {

  private static final double H = 1e-6;

  @Test
  void denseLayersGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.mlp(3);
    DataSet data = SmallNets.flat(6, 4, 5);
    checkAgainstFiniteDifferences(net, data, 0);
    checkAgainstFiniteDifferences(net, data, 1);
  }

  @Test
  void lstmLayersGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.lstm(3);
    DataSet data = SmallNets.sequences(3, 3, 5, 5);
    checkAgainstFiniteDifferences(net, data, 0);
    checkAgainstFiniteDifferences(net, data, 1);
  }

  @Test
  void simpleRnnGradientsMatchFiniteDifferences() {
    MultiLayerNetwork net = SmallNets.simpleRnn(3);
    DataSet data = SmallNets.sequences(3, 3, 5, 5);
    checkAgainstFiniteDifferences(net, data, 0);
  }

  @Test
  void thePassLeavesTheTrainingGradientAlone() {
    MultiLayerNetwork net = SmallNets.mlp(3);
    DataSet data = SmallNets.flat(6, 4, 5);
    net.setInput(data.getFeatures());
    net.setLabels(data.getLabels());
    net.computeGradientAndScore();
    INDArray before = net.getGradientsViewArray().dup();
    LayerGradients.of(
        net, new DataSet(SmallNets.flat(6, 4, 9).getFeatures(), data.getLabels()), Set.of(0, 1));
    assertThat(net.getGradientsViewArray()).isEqualTo(before);
  }

  private static void checkAgainstFiniteDifferences(MultiLayerNetwork net, DataSet data, int l) {
    LayerGradients g = LayerGradients.of(net, data, Set.of(l));
    // The activations are the network's own forward pass.
    INDArray expected = net.feedForward(data.getFeatures(), false).get(l + 1);
    MultiLayerNetwork tail = tail(net, l);
    checkAgainstFiniteDifferences(
        g, l, expected, a -> tail.score(new DataSet(a, data.getLabels()), false));
  }

  /**
   * {@code ε} of layer {@code l} against central differences of {@code batch · meanLoss(a)}, the
   * summed loss of the rest of the network fed {@code a} (DL4J's score is the batch mean).
   */
  private static void checkAgainstFiniteDifferences(
      LayerGradients g, int l, INDArray expected, ToDoubleFunction<INDArray> meanLoss) {
    // c order, so that flat index k is the same element of a and ε
    INDArray a = g.activations().get(l).dup('c');
    INDArray eps = g.gradients().get(l).dup('c');
    assertThat(a.equalsWithEps(expected, 1e-12)).isTrue();
    assertThat(eps.shape()).isEqualTo(a.shape());
    long batch = a.size(0);
    double largest = 0;
    for (long k = 0; k < a.length(); k++) {
      INDArray plus = a.dup();
      INDArray minus = a.dup();
      plus.data().put(k, a.data().getDouble(k) + H);
      minus.data().put(k, a.data().getDouble(k) - H);
      double numeric =
          batch * (meanLoss.applyAsDouble(plus) - meanLoss.applyAsDouble(minus)) / (2 * H);
      double analytic = eps.data().getDouble(k);
      assertThat(analytic).as("ε[%d] of layer %d", k, l).isCloseTo(numeric, within(1e-6));
      largest = Math.max(largest, Math.abs(analytic));
    }
    // Not vacuous: the gradients are not all zero.
    assertThat(largest).isGreaterThan(1e-3);
  }

  @Test
  void aGraphLayerReadByTwoLayersGetsTheSumOfTheirGradients() {
    ComputationGraph graph = SmallGraphs.branches(3);
    checkAgainstFiniteDifferences(
        graph,
        SmallNets.flat(6, 4, 5),
        "d1",
        withParametersOf(SmallGraphs.branchesAfterD1(), graph));
  }

  @Test
  void aGraphLayerBeforeAMergeVertexGetsItsShare() {
    ComputationGraph graph = SmallGraphs.branches(4);
    DataSet data = SmallNets.flat(6, 4, 6);
    ComputationGraph tail = withParametersOf(SmallGraphs.branchesAfterA(), graph);
    Map<String, INDArray> forward = graph.feedForward(data.getFeatures(), false);
    int a = SmallGraphs.index(graph, "a");
    int b = SmallGraphs.index(graph, "b");
    LayerGradients g = LayerGradients.of(graph, data, Set.of(a, b));
    assertThat(g.gradients()).containsOnlyKeys(a, b);
    checkAgainstFiniteDifferences(
        g,
        a,
        forward.get("a"),
        x ->
            tail.score(
                new MultiDataSet(
                    new INDArray[] {x, forward.get("b")}, new INDArray[] {data.getLabels()}),
                false));
  }

  @Test
  void aGraphLstmGradientsMatchFiniteDifferences() {
    ComputationGraph graph = SmallGraphs.lstm(3);
    checkAgainstFiniteDifferences(
        graph,
        SmallNets.sequences(3, 3, 5, 5),
        "l1",
        withParametersOf(SmallGraphs.lstmAfterL1(), graph));
  }

  /**
   * Vertex {@code name} of {@code graph} against {@code tail}, the graph after it, fed its output.
   */
  private static void checkAgainstFiniteDifferences(
      ComputationGraph graph, DataSet data, String name, ComputationGraph tail) {
    int l = SmallGraphs.index(graph, name);
    checkAgainstFiniteDifferences(
        LayerGradients.of(graph, data, Set.of(l)),
        l,
        graph.feedForward(data.getFeatures(), false).get(name),
        a -> tail.score(new DataSet(a, data.getLabels()), false));
  }

  @Test
  void theGraphPassLeavesTheTrainingGradientAndInputsAlone() {
    ComputationGraph graph = SmallGraphs.branches(3);
    DataSet data = SmallNets.flat(6, 4, 5);
    graph.setInputs(data.getFeatures());
    graph.setLabels(data.getLabels());
    graph.computeGradientAndScore();
    INDArray before = graph.getGradientsViewArray().dup();
    LayerGradients.of(
        graph,
        new DataSet(SmallNets.flat(6, 4, 9).getFeatures(), data.getLabels()),
        Set.of(SmallGraphs.index(graph, "d1")));
    assertThat(graph.getGradientsViewArray()).isEqualTo(before);
    assertThat(graph.getInputs()[0]).isSameAs(data.getFeatures());
  }

  /** {@code tail} with the parameters of {@code graph}'s layers of the same names. */
  private static ComputationGraph withParametersOf(ComputationGraph tail, ComputationGraph graph) {
    for (GraphVertex v : tail.getVertices()) {
      if (v.hasLayer()) {
        v.getLayer().setParams(graph.getLayer(v.getVertexName()).params().dup());
      }
    }
    return tail;
  }

  /** Layers {@code l+1..} of {@code net} as a network of their own with the same parameters. */
  private static MultiLayerNetwork tail(MultiLayerNetwork net, int l) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list();
    long offset = 0;
    for (int i = 0; i <= l; i++) {
      offset += net.getLayer(i).numParams();
    }
    for (int i = l + 1; i < net.getnLayers(); i++) {
      list.layer(net.getLayer(i).conf().getLayer().clone());
    }
    MultiLayerNetwork tail = new MultiLayerNetwork(list.build());
    tail.init();
    tail.setParams(net.params().get(NDArrayIndex.interval(offset, net.numParams())).dup());
    return tail;
  }
}
