package io.prunewire.service;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties of the agent, derived from its {@link AgentConfig}. */
final class StreamsSettings {

  /** Room for record headers and batch framing on top of the largest value. */
  private static final int FRAMING_BYTES = 64 << 10;

  private StreamsSettings() {}

  static Properties of(String bootstrapServers, AgentConfig c) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) c.replicationFactor());
    // State, consumed offsets and decisions commit in one transaction: a replayed event is never
    // merged twice and an offset never runs ahead of the state it fed.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Between commits the record cache absorbs repeated updates of a layer's state, so the
    // changelog receives one write per (run, layer) per commit instead of one per event.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, c.cacheMaxBytes());
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
}
