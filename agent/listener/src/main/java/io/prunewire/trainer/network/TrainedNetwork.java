package io.prunewire.trainer.network;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A DL4J network being trained, either kind: the few things the listener does that differ between a
 * {@link MultiLayerNetwork} and a {@link ComputationGraph} — which layers are prunable, which batch
 * is being trained on, the observation pass ({@link LayerGradients}) and the probe batch's loss and
 * gradient. Everything else (summaries, probes, masks) only needs {@link #model()}'s flat
 * parameters and {@link #prunableLayers}, whose positions are the layer indices of {@link
 * io.prunewire.trainer.network.OwnedSlice} and {@link PrunableLayer#gateLayer()}.
 *
 * <p>A batch is a {@link DataSet}: features, labels and their per-time-step masks (graphs with one
 * input and one output only).
 */
public sealed interface TrainedNetwork permits LayerStack, GraphNetwork {

  /** An initialised multi-layer network. */
  static TrainedNetwork of(MultiLayerNetwork net) {
    return new LayerStack(Objects.requireNonNull(net, "net"));
  }

  /**
   * An initialised computation graph with one input and one output.
   *
   * @throws IllegalArgumentException naming the inputs or outputs when there are several
   */
  static TrainedNetwork of(ComputationGraph graph) {
    return new GraphNetwork(Objects.requireNonNull(graph, "graph"));
  }

  /** The DL4J network (its flat parameters, listeners, iteration count). */
  Model model();

  /** Iterations done so far. */
  int iterationCount();

  /**
   * The prunable groups the adapters find, in layer order ({@link PrunableLayers#find}).
   *
   * @throws IllegalArgumentException if a selected layer cannot be pruned, saying why
   */
  List<PrunableLayer> prunableLayers(List<LayerAdapter> adapters, PrunableLayers.Selection which);

  /**
   * The batch DL4J is training on, readable from a listener's {@code onBackwardPass} (a graph
   * forgets its labels before {@code iterationDone}); empty outside training.
   */
  Optional<DataSet> trainingBatch();

  /** The observation pass on {@code batch} for the layers at {@code wanted} indices. */
  LayerGradients pass(DataSet batch, Set<Integer> wanted);

  /** Inference-mode loss on {@code batch} (DL4J's score: mean over examples, no dropout). */
  double loss(DataSet batch);

  /**
   * The flattened parameter gradient of DL4J's training loss on {@code batch}, valid until the next
   * call; the network's input and score are put back afterwards.
   */
  INDArray gradient(DataSet batch);
}
