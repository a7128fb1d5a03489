package io.prunewire.trainer.network;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A {@link ComputationGraph} with one input and one output; layer indices are positions in {@link
 * ComputationGraph#getLayers()}.
 */
record GraphNetwork(ComputationGraph graph) implements TrainedNetwork {

  GraphNetwork {
    requireOneInputOneOutput(graph);
  }

  /**
   * @throws IllegalArgumentException naming the inputs and outputs unless there is one of each and
   *     the output is an output layer
   */
  static void requireOneInputOneOutput(ComputationGraph graph) {
    if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
      throw new IllegalArgumentException(
          "the ComputationGraph has inputs "
              + graph.getConfiguration().getNetworkInputs()
              + " and outputs "
              + graph.getConfiguration().getNetworkOutputs()
              + "; Prunewire supports graphs with one input and one output");
    }
    if (!(graph.getOutputLayer(0) instanceof IOutputLayer)) {
      throw new IllegalArgumentException(
          "the ComputationGraph's output "
              + graph.getConfiguration().getNetworkOutputs().get(0)
              + " is not an output layer (OutputLayer, RnnOutputLayer, LossLayer, ...)");
    }
  }

  @Override
  public Model model() {
    return graph;
  }

  @Override
  public int iterationCount() {
    return graph.getIterationCount();
  }

  @Override
  public List<PrunableLayer> prunableLayers(
      List<LayerAdapter> adapters, PrunableLayers.Selection which) {
    return PrunableLayers.find(graph, adapters, which);
  }

  /**
   * The graph's input and masks, and the labels its output layer holds from the start of the
   * backward pass until DL4J clears the vertices, before {@code iterationDone} (the graph itself
   * has no getter for them).
   */
  @Override
  public Optional<DataSet> trainingBatch() {
    INDArray[] inputs = graph.getInputs();
    INDArray labels = ((IOutputLayer) graph.getOutputLayer(0)).getLabels();
    if (inputs == null || inputs[0] == null || labels == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DataSet(
            inputs[0],
            labels,
            first(graph.getInputMaskArrays()),
            first(graph.getLabelMaskArrays())));
  }

  @Override
  public LayerGradients pass(DataSet batch, Set<Integer> wanted) {
    return LayerGradients.of(graph, batch, wanted);
  }

  @Override
  public double loss(DataSet batch) {
    return restoring(() -> graph.score(batch, false));
  }

  /** Also leaves the graph's labels at the batch's: a graph does not let them be read back. */
  @Override
  public INDArray gradient(DataSet batch) {
    return restoring(
        () -> {
          graph.setInputs(batch.getFeatures());
          graph.setLabels(batch.getLabels());
          setMasks(graph, batch);
          graph.computeGradientAndScore();
          graph.clearLayerMaskArrays();
          return graph.gradient().gradient();
        });
  }

  private <T> T restoring(Supplier<T> call) {
    double score = graph.score();
    INDArray[] inputs = graph.getInputs();
    try {
      return call.get();
    } finally {
      graph.setScore(score);
      if (inputs != null) {
        graph.setInputs(inputs);
      }
    }
  }

  /** Puts {@code batch}'s masks (or none) on the graph's layers, replacing any set before. */
  static void setMasks(ComputationGraph graph, DataSet batch) {
    graph.clearLayerMaskArrays();
    if (batch.getFeaturesMaskArray() != null || batch.getLabelsMaskArray() != null) {
      graph.setLayerMaskArrays(
          wrap(batch.getFeaturesMaskArray()), wrap(batch.getLabelsMaskArray()));
    }
  }

  private static INDArray[] wrap(INDArray mask) {
    return mask == null ? null : new INDArray[] {mask};
  }

  private static INDArray first(INDArray[] arrays) {
    return arrays == null ? null : arrays[0];
  }
}
