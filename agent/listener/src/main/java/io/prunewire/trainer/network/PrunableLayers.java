package io.prunewire.trainer.network;

import io.prunewire.trainer.gate.GateLayer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the prunable layers of a {@link MultiLayerNetwork} or a {@link ComputationGraph} (see
 * {@link #find(ComputationGraph, List, Selection)}). In a network: every layer but the last (the
 * output layer) whose configuration an adapter handles, or only the layers the user names. Each
 * group gets the slices its adapter gives plus its rows in the consumer, the next layer with
 * parameters other than a {@link GateLayer}. A group's neurons are observed at the layer's output,
 * or at the output of the gate right after it when there is one (as in the reference workloads).
 */
public final class PrunableLayers {

  private static final Logger LOG = LoggerFactory.getLogger(PrunableLayers.class);

  private PrunableLayers() {}

  /**
   * The built-in adapters (dense, LSTM, simple RNN), then every adapter on the class path that
   * registers itself as a {@link ServiceLoader} provider of {@link LayerAdapter} (a file {@code
   * META-INF/services/io.prunewire.trainer.network.LayerAdapter} naming the class; the workloads
   * module registers the hybrid layer's adapter this way), so that the layers a library defines are
   * found as soon as it is on the class path.
   */
  public static List<LayerAdapter> builtIn() {
    List<LayerAdapter> all =
        new ArrayList<>(List.of(new DenseAdapter(), new LstmAdapter(), new SimpleRnnAdapter()));
    ServiceLoader.load(LayerAdapter.class).forEach(all::add);
    return List.copyOf(all);
  }

  /** Every prunable layer the built-in adapters handle. */
  public static List<PrunableLayer> find(MultiLayerNetwork net) {
    return find(net, builtIn(), Selection.ALL);
  }

  /**
   * Which layers to prune: all that an adapter handles, or those named (DL4J layer names, which
   * default to {@code layer<index>}) or given by index.
   */
  public record Selection(List<String> names, List<Integer> indices) {
    /** Every handled layer but the output layer. */
    public static final Selection ALL = new Selection(List.of(), List.of());

    public Selection {
      names = List.copyOf(names);
      indices = List.copyOf(indices);
      if (!names.isEmpty() && !indices.isEmpty()) {
        throw new IllegalArgumentException("select layers by name or by index, not both");
      }
    }

    public static Selection names(String... names) {
      return new Selection(List.of(names), List.of());
    }

    public static Selection indices(int... indices) {
      List<Integer> list = new ArrayList<>();
      for (int i : indices) {
        list.add(i);
      }
      return new Selection(List.of(), list);
    }

    boolean all() {
      return names.isEmpty() && indices.isEmpty();
    }
  }

  /**
   * The prunable groups of {@code net}, in layer order; {@code adapters} are asked in order (the
   * first that handles a layer wins).
   *
   * @throws IllegalArgumentException if a selected layer does not exist, is the output layer, has
   *     no adapter, or has no consumer whose input rows are known
   */
  public static List<PrunableLayer> find(
      MultiLayerNetwork net, List<LayerAdapter> adapters, Selection selection) {
    Objects.requireNonNull(net, "net");
    int n = net.getnLayers();
    Set<Integer> chosen = new LinkedHashSet<>();
    if (selection.all()) {
      for (int i = 0; i < n - 1; i++) {
        if (adapter(adapters, conf(net, i)).isPresent()) {
          chosen.add(i);
        }
      }
      if (chosen.isEmpty()) {
        throw new IllegalArgumentException(
            "no prunable layer found; register a LayerAdapter for the network's layer types");
      }
    } else {
      for (String name : selection.names()) {
        chosen.add(indexOf(net, name));
      }
      chosen.addAll(selection.indices());
    }
    List<PrunableLayer> layers = new ArrayList<>();
    for (int i : chosen) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException("layer index " + i + " outside [0, " + n + ")");
      }
      if (i == n - 1) {
        throw new IllegalArgumentException(
            "layer " + name(net, i) + " is the output layer, whose units are the predictions");
      }
      LayerAdapter adapter =
          adapter(adapters, conf(net, i))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "layer "
                              + name(net, i)
                              + " ("
                              + conf(net, i).getClass().getSimpleName()
                              + ") has no LayerAdapter; register one with adapter(...)"));
      int consumer = consumer(net, i);
      int observed = conf(net, i + 1) instanceof GateLayer ? i + 1 : i;
      layers.addAll(
          groups(
              adapters,
              adapter,
              new Reader(conf(net, i), i),
              name(net, i),
              observed,
              List.of(new Reader(conf(net, consumer), consumer))));
    }
    return layers;
  }

  /** Every prunable layer vertex of a graph that the built-in adapters handle. */
  public static List<PrunableLayer> find(ComputationGraph graph) {
    return find(graph, builtIn(), Selection.ALL);
  }

  /**
   * The prunable groups of a graph with one input and one output, in topological order: every layer
   * vertex an adapter handles whose output only layers read (directly or through layers without
   * parameters), or the vertices named. A vertex's neurons are observed at its own output; each
   * owns its rows in every layer with weights that reads it. Layer indices are positions in {@link
   * ComputationGraph#getLayers()}. Discovery leaves out the output layer, layers feeding only the
   * loss and layers read by other vertices (merge, element-wise, subset, ...: their neurons' rows
   * in the reader are not known), saying so in the log.
   *
   * @throws IllegalArgumentException if a named vertex does not exist, is not a layer, is the
   *     output, has no adapter or is read by a vertex other than a layer; if layers are selected by
   *     index; if nothing is found
   */
  public static List<PrunableLayer> find(
      ComputationGraph graph, List<LayerAdapter> adapters, Selection selection) {
    Objects.requireNonNull(graph, "graph");
    GraphNetwork.requireOneInputOneOutput(graph);
    if (!selection.indices().isEmpty()) {
      throw new IllegalArgumentException(
          "select a ComputationGraph's layers by vertex name, not by index");
    }
    Map<org.deeplearning4j.nn.api.Layer, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < graph.getLayers().length; i++) {
      index.put(graph.getLayers()[i], i);
    }
    List<PrunableLayer> layers = new ArrayList<>();
    if (selection.all()) {
      List<String> skipped = new ArrayList<>();
      for (int v : graph.topologicalSortOrder()) {
        GraphVertex vertex = graph.getVertices()[v];
        if (!vertex.hasLayer() || vertex.isOutputVertex()) {
          continue;
        }
        Optional<LayerAdapter> adapter = adapter(adapters, conf(vertex));
        if (adapter.isPresent()) {
          try {
            layers.addAll(groups(graph, index, vertex, adapters, adapter.get()));
          } catch (IllegalArgumentException e) {
            skipped.add(e.getMessage());
          }
        }
      }
      if (!skipped.isEmpty()) {
        LOG.warn("not pruned: {}", String.join("; ", skipped));
      }
      if (layers.isEmpty()) {
        throw new IllegalArgumentException(
            "no prunable layer vertex found; register a LayerAdapter for the graph's layer types"
                + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")"));
      }
      return layers;
    }
    for (String name : selection.names()) {
      GraphVertex vertex = graph.getVertex(name);
      if (vertex == null) {
        List<String> names = new ArrayList<>();
        for (GraphVertex g : graph.getVertices()) {
          if (g.hasLayer()) {
            names.add(g.getVertexName());
          }
        }
        throw new IllegalArgumentException(
            "no vertex named '" + name + "'; the layer vertices are " + names);
      }
      if (!vertex.hasLayer()) {
        throw new IllegalArgumentException(
            "vertex " + name + " (" + vertex.getClass().getSimpleName() + ") is not a layer");
      }
      if (vertex.isOutputVertex()) {
        throw new IllegalArgumentException(
            "layer " + name + " is the output layer, whose units are the predictions");
      }
      LayerAdapter adapter =
          adapter(adapters, conf(vertex))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "layer "
                              + name
                              + " ("
                              + conf(vertex).getClass().getSimpleName()
                              + ") has no LayerAdapter; register one with adapter(...)"));
      layers.addAll(groups(graph, index, vertex, adapters, adapter));
    }
    return layers;
  }

  private static List<PrunableLayer> groups(
      ComputationGraph graph,
      Map<org.deeplearning4j.nn.api.Layer, Integer> index,
      GraphVertex vertex,
      List<LayerAdapter> adapters,
      LayerAdapter adapter) {
    List<Reader> readers = new ArrayList<>();
    readers(graph, index, vertex, vertex, readers);
    if (readers.isEmpty()) {
      throw new IllegalArgumentException(
          "layer "
              + vertex.getVertexName()
              + " feeds only the loss (no layer with weights reads it)");
    }
    int i = index.get(vertex.getLayer());
    return groups(
        adapters, adapter, new Reader(conf(vertex), i), vertex.getVertexName(), i, readers);
  }

  /**
   * The layers with weights reading {@code from}'s output column {@code j} as their input {@code
   * j}: the vertices {@code from} feeds, looking through layers without parameters (activation,
   * dropout, pooling), which keep the column order.
   */
  private static void readers(
      ComputationGraph graph,
      Map<org.deeplearning4j.nn.api.Layer, Integer> index,
      GraphVertex layer,
      GraphVertex from,
      List<Reader> out) {
    VertexIndices[] next = from.getOutputVertices();
    for (VertexIndices n : next == null ? new VertexIndices[0] : next) {
      GraphVertex to = graph.getVertices()[n.getVertexIndex()];
      if (!to.hasLayer()) {
        throw new IllegalArgumentException(
            "layer "
                + layer.getVertexName()
                + " feeds vertex "
                + to.getVertexName()
                + " ("
                + to.getClass().getSimpleName()
                + "), which Prunewire cannot follow: only layers may read a pruned layer");
      }
      if (to.getLayer().numParams() > 0) {
        out.add(new Reader(conf(to), index.get(to.getLayer())));
      } else {
        readers(graph, index, layer, to, out);
      }
    }
  }

  /** A layer's configuration and its index. */
  private record Reader(Layer conf, int index) {}

  /**
   * The groups {@code adapter} makes of {@code layer}, each owning, besides its own slices, its
   * input rows in every reader.
   */
  private static List<PrunableLayer> groups(
      List<LayerAdapter> adapters,
      LayerAdapter adapter,
      Reader layer,
      String name,
      int observed,
      List<Reader> readers) {
    List<PrunableLayer> out = new ArrayList<>();
    for (LayerAdapter.Group g : adapter.groups(layer.conf(), layer.index(), name)) {
      List<OwnedSlice> slices = new ArrayList<>(g.slices());
      for (Reader r : readers) {
        slices.addAll(
            adapter(adapters, r.conf())
                .orElse(DEFAULT_CONSUMER)
                .inputRows(r.conf(), r.index(), g.offset()));
      }
      out.add(
          new PrunableLayer(
              g.name(), g.kind(), g.neurons(), g.fanIn(), observed, g.offset(), slices));
    }
    return out;
  }

  /** Reads its inputs through rows of {@code W}; used for consumers no adapter handles. */
  private static final LayerAdapter DEFAULT_CONSUMER =
      new LayerAdapter() {
        @Override
        public boolean handles(Layer conf) {
          return false;
        }

        @Override
        public List<Group> groups(Layer conf, int layerIndex, String name) {
          return List.of();
        }
      };

  private static Optional<LayerAdapter> adapter(List<LayerAdapter> adapters, Layer conf) {
    return adapters.stream().filter(a -> a.handles(conf)).findFirst();
  }

  /** The next layer that reads layer {@code i}'s neurons through weights. */
  private static int consumer(MultiLayerNetwork net, int i) {
    for (int j = i + 1; j < net.getnLayers(); j++) {
      if (net.getLayer(j).numParams() > 0 && !(conf(net, j) instanceof GateLayer)) {
        return j;
      }
    }
    throw new IllegalArgumentException("layer " + name(net, i) + " has no consumer with weights");
  }

  private static Layer conf(GraphVertex vertex) {
    return vertex.getLayer().conf().getLayer();
  }

  private static Layer conf(MultiLayerNetwork net, int i) {
    return net.getLayer(i).conf().getLayer();
  }

  /** The DL4J layer name ({@code layer<index>} unless the configuration sets one). */
  static String name(MultiLayerNetwork net, int i) {
    String name = conf(net, i).getLayerName();
    return name == null ? String.valueOf(i) : name;
  }

  private static int indexOf(MultiLayerNetwork net, String name) {
    for (int i = 0; i < net.getnLayers(); i++) {
      if (name(net, i).equals(name)) {
        return i;
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < net.getnLayers(); i++) {
      names.add(name(net, i));
    }
    throw new IllegalArgumentException("no layer named '" + name + "'; the layers are " + names);
  }
}
