package io.prunewire.trainer.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Each chosen layer's output {@code a_l} and {@code ε_l = ∂L/∂a_l} on one batch, where {@code L} is
 * the output layer's summed loss over the batch (DL4J's score times the batch size when {@code
 * miniBatch} is on; no regularisation). DL4J keeps neither inside {@code fit}, so this runs its own
 * pass through the public layer API: forward in order (layer by layer with every input
 * preprocessor, or vertex by vertex in a graph's topological order), then back from the output
 * layer, where {@code ε_l} is what the layers reading {@code a_l} send down (summed over them in a
 * graph). The batch's feature and label masks are in force during the pass, as in DL4J's own, so a
 * padded time step adds nothing to {@code ε}. Dropout is off for the pass, so it is deterministic.
 * Afterwards the network's gradient view holds the training gradient again.
 *
 * @param activations {@code a_l} per layer index, detached: {@code [batch, n]} or {@code [batch, n,
 *     time]}
 * @param gradients {@code ε_l} per layer index, same shapes
 */
public record LayerGradients(Map<Integer, INDArray> activations, Map<Integer, INDArray> gradients) {

  /**
   * The pass on {@code batch} for the layers at indices {@code wanted}; the network's parameters,
   * gradient view and input are left as they were.
   */
  public static LayerGradients of(MultiLayerNetwork net, DataSet batch, Set<Integer> wanted) {
    Objects.requireNonNull(net, "net");
    requireBatch(batch);
    int n = net.getnLayers();
    if (!(net.getLayer(n - 1) instanceof IOutputLayer out)) {
      throw new IllegalArgumentException("the last layer is not an output layer");
    }
    if (net.getGradientsViewArray() == null) {
      // Layers write their parameter gradients into views DL4J creates at the first fit.
      net.initGradientsView();
    }
    Layer[] layers = net.getLayers();
    return isolated(
        net,
        layers,
        () -> {
          LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
          net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
          try {
            return stack(net, out, batch, wanted, mgr);
          } finally {
            net.clearLayerMaskArrays();
          }
        });
  }

  private static LayerGradients stack(
      MultiLayerNetwork net,
      IOutputLayer out,
      DataSet batch,
      Set<Integer> wanted,
      LayerWorkspaceMgr mgr) {
    int n = net.getnLayers();
    Layer[] layers = net.getLayers();
    int size = Math.toIntExact(batch.getFeatures().size(0));
    Map<Integer, INDArray> activations = new HashMap<>();
    Map<Integer, INDArray> gradients = new HashMap<>();
    INDArray x = batch.getFeatures();
    for (int i = 0; i < n; i++) {
      InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
      if (pre != null) {
        x = pre.preProcess(x, size, mgr);
      }
      layers[i].setInput(x, mgr);
      if (i < n - 1) {
        x = layers[i].activate(true, mgr);
        if (wanted.contains(i)) {
          activations.put(i, x.detach());
        }
      }
    }
    int lowest = wanted.stream().mapToInt(Integer::intValue).min().orElse(n);
    out.setLabels(batch.getLabels());
    INDArray eps = null;
    for (int i = n - 1; i > lowest; i--) {
      eps = layers[i].backpropGradient(eps, mgr).getSecond();
      InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
      if (pre != null) {
        eps = pre.backprop(eps, size, mgr);
      }
      if (wanted.contains(i - 1)) {
        gradients.put(i - 1, eps.detach());
      }
    }
    return new LayerGradients(activations, gradients);
  }

  /**
   * The pass on {@code batch} through a graph with one input and one output, for the layers at
   * indices {@code wanted} of {@link ComputationGraph#getLayers()}; parameters, gradient view and
   * inputs are left as they were, the vertices cleared (as after DL4J's own pass).
   */
  public static LayerGradients of(ComputationGraph graph, DataSet batch, Set<Integer> wanted) {
    Objects.requireNonNull(graph, "graph");
    requireBatch(batch);
    GraphNetwork.requireOneInputOneOutput(graph);
    if (graph.getGradientsViewArray() == null) {
      graph.initGradientsView();
    }
    Layer[] layers = graph.getLayers();
    Map<Layer, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < layers.length; i++) {
      index.put(layers[i], i);
    }
    INDArray[] inputs = graph.getInputs();
    return isolated(
        graph,
        layers,
        () -> {
          LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
          GraphVertex[] vertices = graph.getVertices();
          int[] order = graph.topologicalSortOrder();
          // preprocessors read the batch size from the graph's input
          graph.setInputs(batch.getFeatures());
          GraphNetwork.setMasks(graph, batch);
          Map<Integer, INDArray> activations = new HashMap<>();
          Map<Integer, INDArray> gradients = new HashMap<>();
          try {
            for (int v : order) {
              GraphVertex vertex = vertices[v];
              if (vertex.isOutputVertex()) {
                continue; // its backward pass reads the input set below
              }
              INDArray a =
                  vertex.isInputVertex() ? batch.getFeatures() : vertex.doForward(true, mgr);
              Integer layer = vertex.hasLayer() ? index.get(vertex.getLayer()) : null;
              if (layer != null && wanted.contains(layer)) {
                activations.put(layer, a.detach());
              }
              for (VertexIndices next : outputs(vertex)) {
                vertices[next.getVertexIndex()].setInput(next.getVertexEdgeNumber(), a, mgr);
              }
            }
            // ε of a vertex is complete once every vertex after it in topological order has sent
            // its share: walk back until the last wanted layer has its ε.
            Map<Integer, INDArray> eps = new HashMap<>();
            List<Integer> pending = new ArrayList<>(wanted);
            for (int k = order.length - 1; k >= 0 && !pending.isEmpty(); k--) {
              GraphVertex vertex = vertices[order[k]];
              if (vertex.isInputVertex()) {
                continue;
              }
              if (vertex.isOutputVertex()) {
                ((IOutputLayer) vertex.getLayer()).setLabels(batch.getLabels());
              } else if (eps.containsKey(order[k])) {
                vertex.setEpsilon(eps.get(order[k]));
              } else {
                continue; // does not lead to the output
              }
              Integer layer = vertex.hasLayer() ? index.get(vertex.getLayer()) : null;
              if (layer != null && pending.remove(layer)) {
                gradients.put(layer, eps.get(order[k]).detach());
                if (pending.isEmpty()) {
                  break;
                }
              }
              INDArray[] down = vertex.doBackward(false, mgr).getSecond();
              VertexIndices[] from = vertex.getInputVertices();
              for (int j = 0; j < from.length; j++) {
                eps.merge(from[j].getVertexIndex(), down[j], INDArray::add);
              }
            }
          } finally {
            for (GraphVertex vertex : vertices) {
              vertex.clear();
            }
            graph.clearLayerMaskArrays();
            if (inputs != null) {
              graph.setInputs(inputs);
            }
          }
          return new LayerGradients(activations, gradients);
        });
  }

  private static void requireBatch(DataSet batch) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(batch.getFeatures(), "batch features");
    Objects.requireNonNull(batch.getLabels(), "batch labels");
  }

  private static VertexIndices[] outputs(GraphVertex vertex) {
    VertexIndices[] out = vertex.getOutputVertices();
    return out == null ? new VertexIndices[0] : out;
  }

  /**
   * Runs {@code pass} with every layer's dropout off and puts the dropout and the gradient view
   * (which the layers' backward passes overwrite) back afterwards.
   */
  private static LayerGradients isolated(
      Model model, Layer[] layers, Supplier<LayerGradients> pass) {
    INDArray gradientView = model.getGradientsViewArray();
    INDArray savedGradient = gradientView.dup();
    Map<Integer, IDropout> dropouts = new HashMap<>();
    for (int i = 0; i < layers.length; i++) {
      org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
      dropouts.put(i, conf.getIDropout());
      conf.setIDropout(null);
    }
    try {
      return pass.get();
    } finally {
      dropouts.forEach((i, d) -> layers[i].conf().getLayer().setIDropout(d));
      gradientView.assign(savedGradient);
    }
  }
}
