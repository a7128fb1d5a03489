package io.prunewire.service;

import io.prunewire.protocol.DecisionSignatures;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The agent's Kafka Streams topology, top to bottom:
 *
 * <pre>
 *   telemetry topic ──► telemetry processor ──► decisions topic
 *                        │  stores: runs, evidence, decisions, fusion, retired
 *                        └──────────────────► dead-letter topic
 * </pre>
 *
 * <p>One processor owns all five stores because one event touches several (a checkpoint reads the
 * evidence of every layer and writes the run and the decision); all are keyed by run id first, so
 * they are co-partitioned with the telemetry topic and scale out by run.
 */
final class AgentTopology {

  static final String SOURCE = "telemetry-source";
  static final String PROCESSOR = "telemetry-processor";
  static final String DECISIONS_SINK = "decisions-sink";
  static final String DEAD_LETTER_SINK = "dead-letter-sink";

  static final String RUNS_STORE = "prunewire-runs";
  static final String EVIDENCE_STORE = "prunewire-evidence";
  static final String DECISIONS_STORE = "prunewire-decisions";
  static final String FUSION_STORE = "prunewire-fusion";
  static final String RETIRED_STORE = "prunewire-retired";

  private AgentTopology() {}

  /**
   * @param signer signs every decision, if decisions are signed
   */
  static Topology build(
      AgentConfig config,
      AgentMetrics metrics,
      DecisionMaker decisionMaker,
      Optional<DecisionSignatures.Signer> signer) {
    Topology t = new Topology();
    // Record timestamps capped at the agent's clock make the stream time run retention is measured
    // in.
    t.addSource(
        (AutoOffsetReset) null,
        SOURCE,
        new TelemetryTimestamps(),
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        config.topics().telemetry());
    t.addProcessor(
        PROCESSOR, () -> new TelemetryProcessor(config, metrics, decisionMaker, signer), SOURCE);
    t.addStateStore(store(RUNS_STORE, config), PROCESSOR);
    t.addStateStore(store(EVIDENCE_STORE, config), PROCESSOR);
    t.addStateStore(store(DECISIONS_STORE, config), PROCESSOR);
    t.addStateStore(store(FUSION_STORE, config), PROCESSOR);
    t.addStateStore(store(RETIRED_STORE, config), PROCESSOR);
    t.addSink(
        DECISIONS_SINK,
        config.topics().decisions(),
        new StringSerializer(),
        new ByteArraySerializer(),
        PROCESSOR);
    t.addSink(
        DEAD_LETTER_SINK,
        config.topics().deadLetter(),
        new StringSerializer(),
        new ByteArraySerializer(),
        PROCESSOR);
    return t;
  }

  /**
   * A RocksDB store with the record cache in front (absorbs rewrites of large layer states between
   * commits) and a compacted changelog whose {@code max.message.bytes} admits a whole layer's
   * state.
   */
  private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name, AgentConfig c) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
        .withCachingEnabled()
        .withLoggingEnabled(
            Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(c.maxMessageBytes()),
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT));
  }
}
