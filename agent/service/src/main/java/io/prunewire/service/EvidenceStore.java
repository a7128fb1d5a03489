package io.prunewire.service;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.LayerSummaryEvent;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-(run, layer) evidence store: merged summaries of every trainer of a run, one value per
 * layer so a value stays within a changelog record and an event rewrites only its own layer.
 *
 * <p>Every merge writes the encoded evidence to the store, which stays the only truth. Decoded
 * values of recently used layers are kept as a read-through mirror of the store to save
 * decoding a layer (hundreds of KB) on every event; the mirror belongs to one processor
 * initialisation, which Kafka Streams repeats after any rollback or reassignment of the task,
 * so it never outlives the store contents it mirrors.
 */
final class EvidenceStore {

  /** Decoded layers mirrored; a 1,300-neuron layer decodes to about 1 MB. */
  private static final int MIRRORED_LAYERS = 32;

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

  static String key(String runId, String layer) {
    return runId + '\u001f' + layer;
  }

  /** The layer's evidence so far (empty if no summary arrived yet); callers must not change it. */
  LayerEvidence get(String runId, LayerSpec layer) {
    String key = key(runId, layer.name());
    LayerEvidence mirrored = mirror.get(key);
    if (mirrored != null) {
      return mirrored;
    }
    byte[] bytes = store.get(key);
    return bytes == null
        ? new LayerEvidence(layer.name(), layer.neurons())
        : EvidenceCodec.decode(bytes);
  }

  /** Merges one summary (validated against the layer by the caller) into the layer's evidence. */
  void merge(String runId, LayerSpec layer, LayerSummaryEvent event) {
    String key = key(runId, layer.name());
    LayerEvidence evidence = get(runId, layer);
    try {
      if (event instanceof ActivationSummaryEvent e) {
        evidence.merge(e.summary());
      } else if (event instanceof GradientSummaryEvent e) {
        evidence.merge(e.summary());
      } else if (event instanceof CurvatureEvent e) {
        evidence.merge(e.summary());
      } else if (event instanceof WeightStatisticsEvent e) {
        evidence.update(e.step(), e.statistics());
      }
    } catch (RuntimeException e) {
      // A merge that fails half-way (e.g. other histogram bins) may have changed the mirrored
      // object: drop it, the store still holds the state before this event.
      mirror.remove(key);
      throw e;
    }
    byte[] bytes = EvidenceCodec.encode(evidence);
    store.put(key, bytes);
    mirror.put(key, evidence);
    metrics.stateSize(AgentTopology.EVIDENCE_STORE, key, bytes.length);
  }
}
