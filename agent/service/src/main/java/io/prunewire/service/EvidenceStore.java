package io.prunewire.service;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.LayerSummaryEvent;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-(run, layer) evidence store: merged summaries of every trainer of a run. Each part of a
 * layer's evidence (activation, gradient, curvature, weight statistics) is stored under its own key
 * (run, layer, part), so an event re-encodes only the part it changed; a part larger than {@link
 * PartValues#MAX_VALUE_BYTES} is split over further keys ({@link PartValues}).
 *
 * <p>Every merge writes the encoded part to the store, which stays the only truth. Decoded layers
 * that were used recently are kept as a read-through mirror of the store to save decoding a layer
 * (hundreds of KB) on every event; the mirror belongs to one processor initialisation, which Kafka
 * Streams repeats after any rollback or reassignment of the task, so it never outlives the store
 * contents it mirrors.
 */
final class EvidenceStore {

  /** Decoded layers mirrored; a 1,300-neuron layer decodes to about 1 MB. */
  private static final int MIRRORED_LAYERS = 32;

  /** The parts a layer's evidence is stored in, one value each. */
  private static final List<EventType> PARTS =
      List.of(
          EventType.ACTIVATION_SUMMARY,
          EventType.GRADIENT_SUMMARY,
          EventType.CURVATURE,
          EventType.WEIGHT_STATISTICS);

  private final KeyValueStore<String, byte[]> store;
  private final AgentMetrics metrics;
  private final Map<String, LayerEvidence> mirror =
      new LinkedHashMap<>(MIRRORED_LAYERS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LayerEvidence> eldest) {
          return size() > MIRRORED_LAYERS;
        }
      };

  EvidenceStore(KeyValueStore<String, byte[]> store, AgentMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  static String key(String runId, String layer, EventType part) {
    return runId + '\u001f' + layer + '\u001f' + part.name().toLowerCase(Locale.ROOT);
  }

  /** The layer's evidence so far (empty if no summary arrived yet); callers must not change it. */
  LayerEvidence get(String runId, LayerSpec layer) {
    String layerKey = runId + '\u001f' + layer.name();
    LayerEvidence mirrored = mirror.get(layerKey);
    if (mirrored != null) {
      return mirrored;
    }
    byte[] a = stored(key(runId, layer.name(), EventType.ACTIVATION_SUMMARY));
    byte[] g = stored(key(runId, layer.name(), EventType.GRADIENT_SUMMARY));
    byte[] c = stored(key(runId, layer.name(), EventType.CURVATURE));
    byte[] w = stored(key(runId, layer.name(), EventType.WEIGHT_STATISTICS));
    EvidenceCodec.WeightSnapshot weights = w == null ? null : EvidenceCodec.weights(w);
    LayerEvidence evidence =
        LayerEvidence.of(
            layer.name(),
            layer.neurons(),
            a == null ? null : EvidenceCodec.activation(a),
            g == null ? null : EvidenceCodec.gradient(g),
            c == null ? null : EvidenceCodec.curvature(c),
            weights == null ? null : weights.statistics(),
            weights == null ? -1 : weights.step());
    mirror.put(layerKey, evidence);
    return evidence;
  }

  /** The encoding of the part stored under {@code key}, joined if it is split; null if none. */
  private byte[] stored(String key) {
    return PartValues.join(store.get(key), i -> store.get(PartValues.continuationKey(key, i)));
  }

  /**
   * Deletes every part of the run's layers through the store, so that the changelog gets a
   * tombstone for each, and forgets their mirrored copies.
   */
  void delete(String runId, List<LayerSpec> layers) {
    for (LayerSpec layer : layers) {
      mirror.remove(runId + '\u001f' + layer.name());
      for (EventType part : PARTS) {
        String key = key(runId, layer.name(), part);
        for (int i = PartValues.count(store.get(key)) - 1; i >= 1; i--) {
          store.delete(PartValues.continuationKey(key, i));
        }
        store.delete(key);
        metrics.stateSize(AgentTopology.EVIDENCE_STORE, key, 0);
      }
    }
  }

  /**
   * Merges one summary (validated against the layer by the caller) into the layer's evidence.
   *
   * @param sizeCheck called with the merged part's stored size (all its values) before it is
   *     stored; throws to refuse the event, which then leaves the store as it was
   * @return the stored part's size in bytes, or -1 if the event changed nothing (a weight snapshot
   *     older than the stored one)
   */
  int merge(String runId, LayerSpec layer, LayerSummaryEvent event, IntConsumer sizeCheck) {
    LayerEvidence evidence = get(runId, layer);
    byte[][] values;
    try {
      if (event instanceof ActivationSummaryEvent e) {
        evidence.merge(e.summary());
        values = EvidenceCodec.activation(evidence.activation().orElseThrow());
      } else if (event instanceof GradientSummaryEvent e) {
        evidence.merge(e.summary());
        values = EvidenceCodec.gradient(evidence.gradient().orElseThrow());
      } else if (event instanceof CurvatureEvent e) {
        evidence.merge(e.summary());
        values = EvidenceCodec.curvature(evidence.curvature().orElseThrow());
      } else if (event instanceof WeightStatisticsEvent e) {
        if (!evidence.update(e.step(), e.statistics())) {
          return -1;
        }
        values = EvidenceCodec.weights(evidence.weightsStep(), evidence.weights().orElseThrow());
      } else {
        throw new IllegalStateException("no evidence part for " + event.type());
      }
      sizeCheck.accept(PartValues.bytes(values));
    } catch (RuntimeException | Error e) {
      // A merge that fails half-way (e.g. other histogram bins, out of memory) or is refused may
      // have changed the mirrored object: drop it, the store still holds the state before this
      // event.
      mirror.remove(runId + '\u001f' + layer.name());
      throw e;
    }
    // A part's size, hence its number of values, is fixed by its layer (neurons, histogram bins,
    // anchors; merges require the same), so these overwrite every value the part had before.
    String key = key(runId, layer.name(), event.type());
    store.put(key, values[0]);
    for (int i = 1; i < values.length; i++) {
      store.put(PartValues.continuationKey(key, i), values[i]);
    }
    int bytes = PartValues.bytes(values);
    metrics.stateSize(AgentTopology.EVIDENCE_STORE, key, bytes);
    return bytes;
  }
}
