package io.prunewire.trainer.mask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prunewire.trainer.gate.GateLayer;
import io.prunewire.trainer.network.NeuronKind;
import io.prunewire.trainer.network.OwnedSlice;
import io.prunewire.trainer.network.PrunableLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Exports a physically smaller network: the same layers with pruned neurons removed, weights copied
 * from the kept slices. Every {@link OwnedSlice} of a pruned neuron is deleted from its parameter
 * (rows along axis 0, columns along axis 1), and its entry of the gate behind it.
 *
 * <p>Layer widths change through DL4J's own configuration JSON ({@code nin}, {@code nout}, and the
 * hybrid layer's {@code snn} and {@code rnn}), so every other setting of each layer carries over.
 * The shrunk network computes what the masked one computes; its updater state starts fresh.
 */
public final class Shrinker {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Shrinker() {}

  /**
   * The network without the neurons {@code masks} prune.
   *
   * @throws IllegalArgumentException if a mask does not fit its layer or would remove every neuron
   *     of a layer
   */
  public static MultiLayerNetwork shrink(
      MultiLayerNetwork net, List<PrunableLayer> layers, NeuronMasks masks) {
    // (layer index, param key, axis) -> positions to delete
    Map<String, TreeSet<Long>> removed = new HashMap<>();
    Map<Integer, Integer> prunedOut = new HashMap<>();
    Map<Integer, Integer> prunedIn = new HashMap<>();
    Map<Integer, Map<NeuronKind, Integer>> prunedByKind = new HashMap<>();
    for (PrunableLayer layer : layers) {
      if (!masks.layers().contains(layer.name())) {
        continue;
      }
      boolean[] keep = masks.keep(layer.name());
      if (keep.length != layer.neurons()) {
        throw new IllegalArgumentException(
            "layer "
                + layer.name()
                + ": mask has "
                + keep.length
                + " neurons, layer has "
                + layer.neurons());
      }
      int pruned = (int) IntStream.range(0, keep.length).filter(i -> !keep[i]).count();
      if (pruned == keep.length) {
        throw new IllegalArgumentException(
            "layer " + layer.name() + ": the mask removes every neuron");
      }
      int own = layer.incomingSlices().get(0).layerIndex();
      prunedOut.merge(own, pruned, Integer::sum);
      prunedByKind
          .computeIfAbsent(own, k -> new HashMap<>())
          .merge(layer.kind(), pruned, Integer::sum);
      for (int i = 0; i < keep.length; i++) {
        if (keep[i]) {
          continue;
        }
        for (OwnedSlice s : layer.slices()) {
          removed
              .computeIfAbsent(key(s.layerIndex(), s.paramKey(), s.axis()), k -> new TreeSet<>())
              .add(s.offset() + i);
        }
        removed
            .computeIfAbsent(key(layer.gateLayer(), GateLayer.GATE_KEY, 1), k -> new TreeSet<>())
            .add((long) layer.gateOffset() + i);
      }
      // Consumers lose one input per pruned neuron.
      layer.slices().stream()
          .filter(s -> !s.incoming() && s.layerIndex() != own)
          .map(OwnedSlice::layerIndex)
          .distinct()
          .forEach(consumer -> prunedIn.merge(consumer, pruned, Integer::sum));
      prunedOut.merge(layer.gateLayer(), pruned, Integer::sum);
      prunedIn.merge(layer.gateLayer(), pruned, Integer::sum);
    }
    MultiLayerNetwork small =
        new MultiLayerNetwork(
            resized(net.getLayerWiseConfigurations(), prunedIn, prunedOut, prunedByKind));
    small.init();
    for (int l = 0; l < net.getnLayers(); l++) {
      for (Map.Entry<String, INDArray> p : net.getLayer(l).paramTable().entrySet()) {
        INDArray from = p.getValue();
        INDArray to = small.getLayer(l).getParam(p.getKey());
        to.assign(
            kept(from, removed.get(key(l, p.getKey(), 0)), removed.get(key(l, p.getKey(), 1)))
                .reshape(to.shape()));
      }
    }
    return small;
  }

  /** {@code from} without the given rows and columns (a rank-1 parameter is one row). */
  private static INDArray kept(INDArray from, TreeSet<Long> rows, TreeSet<Long> columns) {
    INDArray m = from.rank() == 1 ? from.reshape(1, from.length()) : from;
    return m.get(keep(m.size(0), rows), keep(m.size(1), columns));
  }

  private static INDArrayIndex keep(long size, TreeSet<Long> drop) {
    if (drop == null || drop.isEmpty()) {
      return NDArrayIndex.all();
    }
    if (drop.last() >= size) {
      throw new IllegalStateException(
          "position " + drop.last() + " outside a parameter axis of " + size);
    }
    return NDArrayIndex.indices(
        IntStream.range(0, (int) size)
            .filter(i -> !drop.contains((long) i))
            .asLongStream()
            .toArray());
  }

  private static MultiLayerConfiguration resized(
      MultiLayerConfiguration conf,
      Map<Integer, Integer> prunedIn,
      Map<Integer, Integer> prunedOut,
      Map<Integer, Map<NeuronKind, Integer>> prunedByKind) {
    try {
      JsonNode root = JSON.readTree(conf.toJson());
      JsonNode confs = root.get("confs");
      for (int l = 0; l < confs.size(); l++) {
        ObjectNode layer = (ObjectNode) confs.get(l).get("layer");
        if (prunedIn.containsKey(l)) {
          layer.put("nin", layer.get("nin").asLong() - prunedIn.get(l));
        }
        if (prunedOut.containsKey(l)) {
          layer.put("nout", layer.get("nout").asLong() - prunedOut.get(l));
        }
        Map<NeuronKind, Integer> kinds = prunedByKind.getOrDefault(l, Map.of());
        if (kinds.containsKey(NeuronKind.SNN)) {
          layer.put("snn", layer.get("snn").asInt() - kinds.get(NeuronKind.SNN));
        }
        if (kinds.containsKey(NeuronKind.RNN)) {
          layer.put("rnn", layer.get("rnn").asInt() - kinds.get(NeuronKind.RNN));
        }
      }
      return MultiLayerConfiguration.fromJson(JSON.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the network configuration", e);
    }
  }

  private static String key(int layer, String param, int axis) {
    return layer + "/" + param + "/" + axis;
  }
}
