package io.prunewire.service;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.LayerSummaryEvent;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.LayerEvidence;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-(run, layer) evidence store: merged summaries of every trainer of a run, one value per
 * layer so a value stays within a changelog record and an event rewrites only its own layer.
 */
final class EvidenceStore {

  private final KeyValueStore<String, byte[]> store;
  private final AgentMetrics metrics;

  EvidenceStore(KeyValueStore<String, byte[]> store, AgentMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  static String key(String runId, String layer) {
    return runId + '\u001f' + layer;
  }

  /** The layer's evidence so far (empty if no summary arrived yet). */
  LayerEvidence get(String runId, LayerSpec layer) {
    byte[] bytes = store.get(key(runId, layer.name()));
    return bytes == null
        ? new LayerEvidence(layer.name(), layer.neurons())
        : EvidenceCodec.decode(bytes);
  }

  /** Merges one summary (validated against the layer by the caller) into the layer's evidence. */
  void merge(String runId, LayerSpec layer, LayerSummaryEvent event) {
    LayerEvidence evidence = get(runId, layer);
    if (event instanceof ActivationSummaryEvent e) {
      evidence.merge(e.summary());
    } else if (event instanceof GradientSummaryEvent e) {
      evidence.merge(e.summary());
    } else if (event instanceof CurvatureEvent e) {
      evidence.merge(e.summary());
    } else if (event instanceof WeightStatisticsEvent e) {
      evidence.update(e.step(), e.statistics());
    }
    byte[] bytes = EvidenceCodec.encode(evidence);
    String key = key(runId, layer.name());
    store.put(key, bytes);
    metrics.stateSize(AgentTopology.EVIDENCE_STORE, key, bytes.length);
  }
}
