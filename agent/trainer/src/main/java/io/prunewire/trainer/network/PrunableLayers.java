package io.prunewire.trainer.network;

import io.prunewire.trainer.model.GateLayer;
import io.prunewire.trainer.model.OwnedSlice;
import io.prunewire.trainer.model.PrunableLayer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Finds the prunable layers of a {@link MultiLayerNetwork}: every layer but the last (the output
 * layer) whose configuration an adapter handles, or only the layers the user names. Each group gets
 * the slices its adapter gives plus its rows in the consumer, the next layer with parameters other
 * than a {@link GateLayer}. A group's neurons are observed at the layer's output, or at the output
 * of the gate right after it when there is one (as in the reference workloads).
 */
public final class PrunableLayers {

  private PrunableLayers() {}

  /** The built-in adapters: dense, LSTM, simple RNN, hybrid. */
  public static List<LayerAdapter> builtIn() {
    return List.of(
        new DenseAdapter(), new LstmAdapter(), new SimpleRnnAdapter(), new HybridAdapter());
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
      LayerAdapter reader = adapter(adapters, conf(net, consumer)).orElse(DEFAULT_CONSUMER);
      for (LayerAdapter.Group g : adapter.groups(conf(net, i), i, name(net, i))) {
        List<OwnedSlice> slices = new ArrayList<>(g.slices());
        slices.addAll(reader.inputRows(conf(net, consumer), consumer, g.offset()));
        layers.add(
            new PrunableLayer(
                g.name(), g.kind(), g.neurons(), g.fanIn(), observed, g.offset(), slices));
      }
    }
    return layers;
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
