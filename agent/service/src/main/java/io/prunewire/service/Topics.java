package io.prunewire.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the agent's topics (telemetry, decisions, dead letters) if they do not exist. */
final class Topics {

  private Topics() {}

  /**
   * Creates the three topics with {@code partitions} partitions and a {@code max.message.bytes}
   * large enough for whole-layer summaries and decisions; existing topics are left as they are.
   */
  static void ensure(String bootstrapServers, AgentConfig config) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, String> topicConfig =
        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.maxMessageBytes()));
    List<NewTopic> topics = new ArrayList<>();
    for (String name : List.of(
        config.telemetryTopic(), config.decisionsTopic(), config.deadLetterTopic())) {
      topics.add(new NewTopic(name, config.partitions(), config.replicationFactor())
          .configs(topicConfig));
    }
    try (Admin admin = Admin.create(p)) {
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not create the agent's topics within 30 s", e);
    }
  }
}
