package io.prunewire.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;

/** Creates the agent's topics (telemetry, decisions, dead letters) if they do not exist. */
final class TopicSetup {

  private TopicSetup() {}

  /** What to check when the cluster refuses or ignores the agent's clients. */
  private static final String SECURITY_HINT =
      "check the Kafka client properties security.protocol,"
          + " sasl.mechanism and sasl.jaas.config (or ssl.*) against the cluster's listener";

  /** An admin client, or a clear error when the Kafka client properties are inconsistent. */
  private static Admin admin(Map<String, Object> config) {
    try {
      return Admin.create(config);
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          "the Kafka client properties do not make a valid client: " + cause.getMessage(), e);
    }
  }

  /**
   * Creates the three topics with {@code partitions} partitions and a {@code max.message.bytes}
   * large enough for whole-layer summaries and decisions; existing topics are left as they are. The
   * admin client gets the same settings as Kafka Streams' own admin (the user's client properties,
   * with {@code admin.}-prefixed ones winning). Where ACLs do not let the agent create topics,
   * Kafka refuses even the creation of an existing one; topics an administrator created beforehand
   * are then accepted if the agent can see them.
   *
   * @throws IllegalStateException if the cluster refuses the credentials, does not answer in time
   *     or cannot create a topic that does not exist
   */
  static void ensure(String bootstrapServers, AgentConfig config) {
    Map<String, Object> p =
        new StreamsConfig(StreamsSettings.of(bootstrapServers, config))
            .getAdminConfigs(config.applicationId() + "-topics");
    Map<String, String> topicConfig =
        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.maxMessageBytes()));
    List<NewTopic> topics = new ArrayList<>();
    for (String name :
        List.of(
            config.topics().telemetry(),
            config.topics().decisions(),
            config.topics().deadLetter())) {
      topics.add(
          new NewTopic(name, config.topics().partitions(), config.topics().replicationFactor())
              .configs(topicConfig));
    }
    try (Admin admin = admin(p)) {
      List<String> refused = new ArrayList<>();
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SslAuthenticationException) {
            // Kafka's own message is only "SSL handshake failed"; the JDK's reason is one level
            // down.
            Throwable reason =
                e.getCause().getCause() == null ? e.getCause() : e.getCause().getCause();
            throw new IllegalStateException(
                "the TLS handshake with Kafka at "
                    + bootstrapServers
                    + " failed ("
                    + reason.getMessage()
                    + "): check ssl.truststore.location and ssl.truststore.password; the"
                    + " truststore must hold the CA that signed the broker's certificate",
                e.getCause());
          }
          if (e.getCause() instanceof AuthenticationException) {
            throw new IllegalStateException(
                "Kafka at "
                    + bootstrapServers
                    + " refused the agent's credentials: "
                    + e.getCause().getMessage()
                    + "; "
                    + SECURITY_HINT,
                e.getCause());
          }
          if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            throw new IllegalStateException(
                "Kafka at "
                    + bootstrapServers
                    + " did not answer the agent's admin"
                    + " client ("
                    + e.getCause().getMessage()
                    + "): is it reachable? "
                    + SECURITY_HINT,
                e.getCause());
          }
          if (e.getCause() instanceof TopicAuthorizationException) {
            refused.add(entry.getKey());
          } else if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      if (!refused.isEmpty()) {
        requireExisting(admin, refused, bootstrapServers);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + bootstrapServers
              + " did not create the agent's topics within 30 s; "
              + SECURITY_HINT,
          e);
    }
  }

  /** Topics the agent may not create must exist already (and be visible to it). */
  private static void requireExisting(Admin admin, List<String> names, String bootstrapServers)
      throws InterruptedException, TimeoutException {
    try {
      admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka at "
              + bootstrapServers
              + " does not let the agent create "
              + names
              + " and they do not all exist ("
              + e.getCause().getMessage()
              + "): create them beforehand"
              + " or grant the agent's user CREATE on them (deploy/README.md, \"Kafka with ACLs\")",
          e.getCause());
    }
  }
}
