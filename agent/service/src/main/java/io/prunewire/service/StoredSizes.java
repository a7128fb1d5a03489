package io.prunewire.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Brings {@code prunewire_state_bytes} in line with what a partition's stores hold when its task
 * starts on this instance, and takes the partition's share out when the task leaves.
 *
 * <p>Why: the gauge is fed by the writes that change a key ({@link AgentMetrics#stateSize}). An
 * instance that restarts, or takes a partition over in a rebalance, holds state it has not written
 * since it started — every finished run kept until {@code run.retention} — and an instance that
 * hands a partition over would go on counting it. Reading every value once per task start is the
 * price; it happens at assignment, not per event.
 */
final class StoredSizes {

  private static final List<String> STORES =
      List.of(
          AgentTopology.RUNS_STORE,
          AgentTopology.EVIDENCE_STORE,
          AgentTopology.DECISIONS_STORE,
          AgentTopology.FUSION_STORE,
          AgentTopology.RETIRED_STORE);

  private StoredSizes() {}

  /** Records the size of every key the task's stores hold. */
  static void report(ProcessorContext<?, ?> context, AgentMetrics metrics) {
    for (String name : STORES) {
      sizes(context.getStateStore(name), name)
          .forEach((key, bytes) -> metrics.stateSize(name, key, bytes));
    }
  }

  /** Removes the size of every key the task's stores hold. */
  static void withdraw(ProcessorContext<?, ?> context, AgentMetrics metrics) {
    for (String name : STORES) {
      sizes(context.getStateStore(name), name)
          .keySet()
          .forEach(key -> metrics.stateSize(name, key, 0));
    }
  }

  /**
   * Bytes per key as the writers report them: an evidence part split over several values counts
   * under its head's key.
   */
  static Map<String, Integer> sizes(KeyValueStore<String, byte[]> store, String name) {
    Map<String, Integer> sizes = new HashMap<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        var kv = all.next();
        String key =
            name.equals(AgentTopology.EVIDENCE_STORE) ? PartValues.headKey(kv.key) : kv.key;
        sizes.merge(key, kv.value.length, Integer::sum);
      }
    }
    return sizes;
  }
}
