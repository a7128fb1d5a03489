package io.prunewire.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams properties of the agent, derived from its {@link AgentConfig}: the user's Kafka
 * client properties (security and the like) plus the settings the agent owns, which the user may
 * not override.
 */
final class StreamsSettings {

  /** Room for record headers and batch framing on top of the largest value. */
  private static final int FRAMING_BYTES = 64 << 10;

  /** Kafka Streams' per-client prefixes; a prefixed key is owned when its unprefixed key is. */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX);

  /** Client keys the agent sets (or Kafka Streams forces), each with what to use instead. */
  private static final Map<String, String> OWNED = new LinkedHashMap<>();

  static {
    String eos = "fixed: exactly-once processing needs it";
    String wire = "fixed: the agent's wire format needs it";
    String maxBytes = "use the agent setting max.message.bytes";
    OWNED.put(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        "use --bootstrap-servers or the agent setting bootstrap.servers");
    OWNED.put(StreamsConfig.APPLICATION_ID_CONFIG, "use the agent setting application.id");
    OWNED.put(
        CommonClientConfigs.GROUP_ID_CONFIG,
        "the consumer group is the agent setting application.id");
    OWNED.put(StreamsConfig.STATE_DIR_CONFIG, "use --state-dir or the agent setting state.dir");
    OWNED.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "use the agent setting stream.threads");
    OWNED.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "use the agent setting replication.factor");
    OWNED.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "use the agent setting commit.interval");
    OWNED.put(
        StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "use the agent setting cache.max.bytes");
    OWNED.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "use the agent setting instance.id");
    OWNED.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "use the agent setting session.timeout");
    OWNED.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "use the agent setting standby.replicas");
    OWNED.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBytes);
    OWNED.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxBytes);
    OWNED.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxBytes);
    OWNED.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, eos);
    OWNED.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, eos);
    OWNED.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, eos);
    OWNED.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, eos);
    OWNED.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, eos);
    OWNED.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
        "fixed: the agent has no global stores");
    OWNED.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, wire);
    OWNED.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, wire);
    OWNED.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, wire);
    OWNED.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, wire);
    OWNED.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, wire);
    OWNED.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, wire);
  }

  private StreamsSettings() {}

  static Properties of(String bootstrapServers, AgentConfig c) {
    Properties p = new Properties();
    // First, so that nothing below can be replaced by them (build() refuses owned keys anyway).
    p.putAll(c.kafkaClientProperties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) c.topics().replicationFactor());
    // State, consumed offsets and decisions commit in one transaction: a replayed event is never
    // merged twice and an offset never runs ahead of the state it fed.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Between commits the record cache absorbs repeated updates of a layer's state, so the
    // changelog receives one write per (run, layer) per commit instead of one per event.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, c.cacheMaxBytes());
    // Fast recovery: a restarted instance with the same id reclaims its partitions at once (static
    // membership); without one, a crashed member's partitions wait for the session timeout.
    c.instanceId()
        .ifPresent(
            id ->
                p.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
    p.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) c.sessionTimeout().toMillis());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
    // The agent has no global stores; opting in now silences Kafka's deprecation warning.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    int maxRecord = c.maxMessageBytes() + FRAMING_BYTES;
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxRecord);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxRecord);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * maxRecord);
    return p;
  }

  /**
   * Refuses a Kafka client property the agent sets itself (also with a Kafka Streams client
   * prefix), rather than letting one silently win over the other.
   *
   * @throws IllegalArgumentException naming the key and what to use instead
   */
  static void requireNotOwned(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("Kafka client property: the key must not be empty");
    }
    String base = key;
    for (String prefix : CLIENT_PREFIXES) {
      if (key.startsWith(prefix)) {
        base = key.substring(prefix.length());
        break;
      }
    }
    String instead = OWNED.get(base);
    if (instead != null) {
      throw new IllegalArgumentException(
          "Kafka client property '" + key + "' is set by the agent itself (" + instead + ")");
    }
  }
}
