package io.prunewire.trainer.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Plain Kafka clients for trainer tests that play the agent's part or read what a trainer sent. */
public final class KafkaRecords {

  private KafkaRecords() {}

  /** Writes one record, keyed by {@code key}, with the given headers. */
  public static void produce(
      String bootstrap, String topic, String key, byte[] value, List<Header> headers)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers))
          .get();
    }
  }

  /** Reads {@code topic} from the start until {@code expected} records matched, or 30 s passed. */
  public static List<ConsumerRecord<String, byte[]>> read(
      String bootstrap,
      String topic,
      int expected,
      Predicate<ConsumerRecord<String, byte[]>> match) {
    List<ConsumerRecord<String, byte[]>> matched = new ArrayList<>();
    // assigned, not subscribed: no group coordinator to wait for
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (matched.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (match.test(r)) {
                    matched.add(r);
                  }
                });
      }
    }
    return matched;
  }
}
