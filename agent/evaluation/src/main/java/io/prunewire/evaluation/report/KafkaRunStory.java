package io.prunewire.evaluation.report;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A run's story from the Kafka topics: its {@code RunStarted} on the telemetry topic (layers, their
 * kinds and widths) and its decisions (kept neurons per layer, fusion weights, at the decision's
 * step), read from the beginning up to the end offsets at the start, without a consumer group. The
 * model's loss and perplexity are not on the topics: they come from the trainers' metrics ({@link
 * PrometheusRunStory}).
 */
public final class KafkaRunStory {

  private KafkaRunStory() {}

  /**
   * @param clientProperties Kafka client properties of a secured cluster (TLS, SASL), may be empty
   * @param timeout how long to wait for the topics' records
   * @throws IllegalArgumentException when neither topic holds an event of the run
   */
  public static RunStory read(
      String bootstrapServers,
      Map<String, String> clientProperties,
      String telemetryTopic,
      String decisionsTopic,
      String run,
      Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RunStarted started = null;
    Map<String, DecisionEvent> decisions = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(telemetryTopic, decisionsTopic)) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalArgumentException(
              "Kafka at " + bootstrapServers + " has no topic " + topic);
        }
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      byte[] key = run.getBytes(StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!end.isEmpty() && System.nanoTime() < deadline) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!Arrays.equals(key, r.key()) || r.value() == null) {
            continue;
          }
          if (r.topic().equals(telemetryTopic) && started == null && isRunStarted(r.value())) {
            started = (RunStarted) EventCodec.decode(r.value());
          } else if (r.topic().equals(decisionsTopic)
              && EventCodec.decode(r.value()) instanceof DecisionEvent d) {
            decisions.putIfAbsent(d.checkpointId(), d); // a republished decision is the same one
          }
        }
      }
      if (!end.isEmpty()) {
        throw new IllegalStateException(
            "Kafka at "
                + bootstrapServers
                + ": could not read to the end of "
                + end.keySet()
                + " within "
                + timeout);
      }
    }
    if (started == null && decisions.isEmpty()) {
      throw new IllegalArgumentException(
          "run '"
              + run
              + "' has no RunStarted on "
              + telemetryTopic
              + " and no decision on "
              + decisionsTopic
              + " at "
              + bootstrapServers);
    }
    return story(run, "kafka://" + bootstrapServers, started, List.copyOf(decisions.values()));
  }

  /** The story of a run from its {@code RunStarted} (may be null) and its decisions. */
  static RunStory story(
      String run, String source, RunStarted started, List<DecisionEvent> decisions) {
    Map<String, String> types = new HashMap<>();
    Map<String, List<RunStory.Point>> kept = new TreeMap<>();
    if (started != null) {
      for (LayerSpec l : started.layers()) {
        types.put(l.name(), l.kind().name().toLowerCase(Locale.ROOT));
        kept.computeIfAbsent(label(l.name(), types), k -> new ArrayList<>())
            .add(new RunStory.Point(started.header().step(), l.neurons()));
      }
    }
    List<DecisionEvent> ordered = new ArrayList<>(decisions);
    ordered.sort(Comparator.comparingLong(d -> d.header().step()));
    List<Long> steps = new ArrayList<>();
    Set<String> criteria = new LinkedHashSet<>();
    ordered.forEach(d -> criteria.addAll(d.fusionWeights().keySet()));
    Map<String, List<RunStory.Point>> weights = new TreeMap<>();
    for (DecisionEvent d : ordered) {
      long step = d.header().step();
      steps.add(step);
      for (DecisionEvent.LayerDecision l : d.layers()) {
        kept.computeIfAbsent(label(l.layer(), types), k -> new ArrayList<>())
            .add(new RunStory.Point(step, l.kept()));
      }
      for (String c : criteria) {
        Double w = d.fusionWeights().get(c);
        weights
            .computeIfAbsent(c, k -> new ArrayList<>())
            .add(new RunStory.Point(step, w == null ? 0 : w));
      }
    }
    return new RunStory(run, source, List.of(), List.of(), steps, kept, weights);
  }

  private static String label(String layer, Map<String, String> types) {
    String type = types.get(layer);
    return type == null ? layer : layer + " (" + type + ")";
  }

  private static boolean isRunStarted(byte[] value) {
    try {
      return value.length > 3 && EventType.ofCode(value[3] & 0xff) == EventType.RUN_STARTED;
    } catch (InvalidEventException e) {
      return false; // not an event; the agent dead-letters it
    }
  }
}
