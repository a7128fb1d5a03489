package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsSettingsTest {

  static final Map<String, String> SECURITY =
      Map.of(
          "security.protocol",
          "SASL_SSL",
          "sasl.mechanism",
          "PLAIN",
          "sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
              + " password=\"top-secret\";",
          "ssl.truststore.location",
          "/etc/kafka/truststore.jks");

  @Test
  void clientPropertiesReachEveryClientKafkaStreamsMakes(@TempDir Path dir) {
    AgentConfig c = AgentConfig.builder().stateDir(dir).kafkaClientProperties(SECURITY).build();
    StreamsConfig streams = new StreamsConfig(StreamsSettings.of("broker:9093", c));
    List<Map<String, Object>> clients =
        List.of(
            streams.getMainConsumerConfigs("group", "main", 0),
            streams.getRestoreConsumerConfigs("restore"),
            streams.getGlobalConsumerConfigs("global"),
            streams.getProducerConfigs("producer"),
            streams.getAdminConfigs("admin"));
    for (Map<String, Object> client : clients) {
      SECURITY.forEach(
          (k, v) ->
              assertThat(client)
                  .as("client config %s", client.get("client.id"))
                  .containsEntry(k, v));
      assertThat(client).containsEntry("bootstrap.servers", "broker:9093");
    }
  }

  @Test
  void anInstanceIdMakesEachStreamThreadAStaticMemberWithTheSessionTimeout(@TempDir Path dir) {
    AgentConfig c =
        AgentConfig.builder()
            .stateDir(dir)
            .instanceId("agent-0")
            .sessionTimeout(Duration.ofSeconds(8))
            .standbyReplicas(1)
            .build();
    StreamsConfig streams = new StreamsConfig(StreamsSettings.of("broker:9093", c));
    Map<String, Object> thread2 = streams.getMainConsumerConfigs("group", "main", 2);
    assertThat(thread2)
        .containsEntry("group.instance.id", "agent-0-2")
        .containsEntry("session.timeout.ms", 8000);
    assertThat(streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
    // Without an id: dynamic membership, still the agent's session timeout (Kafka's 45 s is too
    // slow).
    Map<String, Object> dynamic =
        new StreamsConfig(
                StreamsSettings.of("broker:9093", AgentConfig.builder().stateDir(dir).build()))
            .getMainConsumerConfigs("group", "main", 0);
    assertThat(dynamic)
        .doesNotContainKey("group.instance.id")
        .containsEntry("session.timeout.ms", 10_000);
    assertThatThrownBy(() -> AgentConfig.builder().sessionTimeout(Duration.ofSeconds(2)).build())
        .hasMessageContaining("session.timeout");
    assertThatThrownBy(
            () ->
                AgentConfig.builder()
                    .kafkaClientProperties(Map.of("group.instance.id", "x"))
                    .build())
        .hasMessageContaining("use the agent setting instance.id");
  }

  @Test
  void aPrefixedPropertyReachesOnlyItsKindOfClient(@TempDir Path dir) {
    AgentConfig c =
        AgentConfig.builder()
            .stateDir(dir)
            .kafkaClientProperties(
                Map.of("producer.linger.ms", "7", "ssl.endpoint.identification.algorithm", ""))
            .build();
    StreamsConfig streams = new StreamsConfig(StreamsSettings.of("broker:9093", c));
    assertThat(streams.getProducerConfigs("p")).containsEntry("linger.ms", "7");
    assertThat(streams.getAdminConfigs("a"))
        .doesNotContainKey("linger.ms")
        .containsEntry("ssl.endpoint.identification.algorithm", "");
  }

  @Test
  void keysTheAgentSetsAreRefusedNamingTheKeyAndTheAlternative() {
    for (String key :
        List.of(
            "bootstrap.servers",
            "application.id",
            "processing.guarantee",
            "default.value.serde",
            "consumer.isolation.level",
            "main.consumer.group.id",
            "producer.transactional.id",
            "restore.consumer.max.partition.fetch.bytes",
            "admin.bootstrap.servers",
            "commit.interval.ms")) {
      assertThatThrownBy(
              () -> AgentConfig.builder().kafkaClientProperties(Map.of(key, "x")).build())
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + key + "'")
          .hasMessageContaining("set by the agent");
    }
    assertThatThrownBy(
            () ->
                AgentConfig.builder()
                    .kafkaClientProperties(Map.of("commit.interval.ms", "5"))
                    .build())
        .hasMessageContaining("agent setting commit.interval");
    assertThatThrownBy(() -> AgentConfig.builder().kafkaClientProperties(Map.of(" ", "5")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key must not be empty");
  }

  @Test
  void theConfigurationShowsClientPropertyKeysButNeverTheirValues() {
    AgentConfig c = AgentConfig.builder().kafkaClientProperties(SECURITY).build();
    assertThat(c.toString()).contains("sasl.jaas.config").doesNotContain("top-secret");
    assertThat(c.toBuilder().build().kafkaClientProperties()).isEqualTo(SECURITY);
  }
}
