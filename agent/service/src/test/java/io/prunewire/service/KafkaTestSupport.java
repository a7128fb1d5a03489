package io.prunewire.service;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for the integration tests: trainers produce, tests read the agent's output.
 */
final class KafkaTestSupport {

  private KafkaTestSupport() {}

  /** A test agent configuration: one partition, free metrics port, private state dir and group. */
  static AgentConfig.Builder config(Path stateDir) {
    return AgentConfig.builder()
        .applicationId("agent-test-" + UUID.randomUUID())
        .stateDir(stateDir)
        .partitions(1)
        .metricsPort(0)
        .commitInterval(Duration.ofMillis(100))
        .barrierTimeout(Duration.ofSeconds(60));
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return producer(bootstrap, Map.of());
  }

  /** A producer with extra client properties, e.g. the credentials of a SASL listener. */
  static KafkaProducer<String, byte[]> producer(String bootstrap, Map<String, String> client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(p);
  }

  static void send(KafkaProducer<String, byte[]> producer, String topic, Event event) {
    sendRaw(producer, topic, event.runId(), EventCodec.encode(event));
  }

  /**
   * Sends an event as a record stamped {@code timestampMillis}: what the agent's stream time
   * follows.
   */
  static void sendAt(
      KafkaProducer<String, byte[]> producer, String topic, Event event, long timestampMillis) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic, null, timestampMillis, event.runId(), EventCodec.encode(event)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + topic + " failed", e);
    }
  }

  static void sendRaw(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
    sendRaw(producer, topic, key, value, List.of());
  }

  static void sendRaw(
      KafkaProducer<String, byte[]> producer,
      String topic,
      String key,
      byte[] value,
      List<Header> headers) {
    try {
      producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + topic + " failed", e);
    }
  }

  /**
   * The first {@code count} records of a decisions topic, decoded, or a failure after the timeout.
   */
  static List<DecisionEvent> decisions(
      String bootstrap, String topic, int count, Duration timeout) {
    return readUntil(bootstrap, topic, r -> r.size() >= count, timeout).stream()
        .map(r -> (DecisionEvent) EventCodec.decode(r.value()))
        .toList();
  }

  /**
   * Reads committed records of {@code topic} from the beginning until {@code done} holds for the
   * records read so far, or fails after {@code timeout}.
   */
  static List<ConsumerRecord<String, byte[]>> readUntil(
      String bootstrap,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout) {
    return readUntil(bootstrap, Map.of(), topic, done, timeout);
  }

  /** {@link #readUntil(String, String, Predicate, Duration)} with extra client properties. */
  static List<ConsumerRecord<String, byte[]>> readUntil(
      String bootstrap,
      Map<String, String> client,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      while (!done.test(records)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "timed out after "
                  + timeout
                  + " reading "
                  + topic
                  + "; got "
                  + records.size()
                  + " records");
        }
        c.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
