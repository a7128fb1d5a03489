package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunewire.cli.Main;
import io.prunewire.service.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** deploy/compose.yaml against the code and the other files it mounts. */
class ComposeConsistencyTest {

  private final JsonNode compose = Repo.yaml("deploy/compose.yaml");
  private final JsonNode services = compose.path("services");

  @Test
  void runsKafkaTheAgentPrometheusAndGrafana() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder("kafka", "agent", "trainer", "prometheus", "grafana");
  }

  @Test
  void trainerJoinsTheAgentsBrokerAndPrometheusScrapesEveryReplicaOnItsMetricsPort() {
    JsonNode trainer = services.path("trainer");
    List<String> args = new ArrayList<>();
    trainer.path("command").forEach(a -> args.add(a.asText()));
    ParseResult train = Main.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
    assertThat(train.commandSpec().name()).isEqualTo("train");
    assertThat(train.<String>matchedOptionValue("--bootstrap-servers", null))
        .isEqualTo("kafka:" + listenerPort(services.path("kafka"), "INTERNAL"));
    assertThat(train.<String>matchedOptionValue("--metrics-bind", null))
        .as("reachable from Prometheus")
        .isEqualTo("0.0.0.0");
    int metricsPort = train.matchedOptionValue("--metrics-port", 0);
    assertThat(train.<Integer>matchedOptionValue("--metrics-linger", 0))
        .as("final values outlive the run")
        .isGreaterThanOrEqualTo(60);
    assertThat(trainer.path("image").asText())
        .isEqualTo(services.path("agent").path("image").asText());
    assertThat(trainer.path("build")).isEqualTo(services.path("agent").path("build"));

    JsonNode job = PrometheusConfigs.trainerJob(Repo.yaml("deploy/prometheus/prometheus.yml"));
    JsonNode dns = job.path("dns_sd_configs").get(0);
    // Docker's DNS answers a service name with one A record per replica.
    assertThat(dns.path("type").asText()).isEqualTo("A");
    assertThat(dns.path("names")).extracting(JsonNode::asText).containsExactly("trainer");
    assertThat(dns.path("port").asInt()).isEqualTo(metricsPort);
  }

  @Test
  void agentEnvironmentIsValidAgentConfigurationAndItsPortIsPublished() {
    JsonNode agent = services.path("agent");
    AgentConfig config =
        AgentEnvironment.check("compose agent", Repo.strings(agent.path("environment")));
    assertThat(containerPorts(agent)).containsExactly(config.metricsPort());
    assertThat(config.bootstrapServers())
        .as("agent joins the compose broker")
        .contains("kafka:" + listenerPort(services.path("kafka"), "INTERNAL"));
  }

  @Test
  void kafkaIsKraftOfTheVersionTheAgentIsBuiltWithAndTakesTheAgentsRecordSize() throws IOException {
    JsonNode kafka = services.path("kafka");
    assertThat(kafka.path("image").asText()).isEqualTo("apache/kafka:" + kafkaClientsVersion());
    Map<String, String> env = Repo.strings(kafka.path("environment"));
    assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
    int agentRecordBytes =
        Repo.agentConfig(Repo.strings(services.path("agent").path("environment")))
            .maxMessageBytes();
    assertThat(Integer.parseInt(env.get("KAFKA_MESSAGE_MAX_BYTES")))
        .isGreaterThanOrEqualTo(agentRecordBytes);
    assertThat(Integer.parseInt(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES")))
        .isGreaterThanOrEqualTo(agentRecordBytes);
  }

  @Test
  void prometheusScrapesTheAgentPortAsTheJobTheRulesWatchAndLoadsTheRules() {
    int metricsPort =
        Repo.agentConfig(Repo.strings(services.path("agent").path("environment"))).metricsPort();
    JsonNode job = PrometheusConfigs.agentJob(Repo.yaml("deploy/prometheus/prometheus.yml"));
    assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("agent:" + metricsPort);
    String ruleGlob =
        Repo.yaml("deploy/prometheus/prometheus.yml").path("rule_files").get(0).asText();
    assertThat(
            mountTarget(
                services.path("prometheus"), "../dashboards/prometheus/prunewire-alerts.yml"))
        .startsWith(ruleGlob.substring(0, ruleGlob.lastIndexOf('/') + 1))
        .endsWith(".yml");
    assertThat(mountTarget(services.path("prometheus"), "./prometheus/prometheus.yml"))
        .isEqualTo(argument(services.path("prometheus"), "--config.file="));
  }

  @Test
  void grafanaGetsTheProvisioningAndDashboardsWhereTheProviderLooks() {
    JsonNode grafana = services.path("grafana");
    JsonNode provider =
        Repo.yaml("dashboards/grafana/provisioning/dashboards/prunewire.yaml")
            .path("providers")
            .get(0);
    assertThat(mountTarget(grafana, "../dashboards/grafana/dashboards"))
        .isEqualTo(provider.path("options").path("path").asText());
    assertThat(mountTarget(grafana, "../dashboards/grafana/provisioning/dashboards"))
        .isEqualTo("/etc/grafana/provisioning/dashboards");
    assertThat(mountTarget(grafana, "../dashboards/grafana/provisioning/datasources"))
        .isEqualTo("/etc/grafana/provisioning/datasources");
    String url =
        Repo.yaml("dashboards/grafana/provisioning/datasources/prometheus.yaml")
            .path("datasources")
            .get(0)
            .path("url")
            .asText();
    assertThat(url)
        .isEqualTo("http://prometheus:" + containerPorts(services.path("prometheus")).get(0));
  }

  @Test
  void everyMountedFileAndTheBuildExist() {
    Path deploy = Repo.path("deploy");
    services.forEach(
        service ->
            service
                .path("volumes")
                .forEach(
                    v -> {
                      String source = v.asText().split(":")[0];
                      if (source.startsWith(".")) {
                        assertThat(deploy.resolve(source).normalize())
                            .as("volume source %s", source)
                            .exists();
                      }
                    }));
    JsonNode build = services.path("agent").path("build");
    Path context = deploy.resolve(build.path("context").asText()).normalize();
    assertThat(context).isEqualTo(Repo.ROOT);
    assertThat(Files.exists(context.resolve(build.path("dockerfile").asText()))).isTrue();
  }

  /**
   * deploy/compose-3brokers.yaml, merged over compose.yaml as Compose merges {@code environment}
   * (key by key): three KRaft nodes of one cluster and one quorum, every replication factor 3 with
   * two replicas in sync, and the agent bootstrapping from all three and replicating its topics and
   * changelogs three times. Docker does not run here, so this checks the files, not a cluster.
   */
  @Test
  void threeBrokerVariantIsOneKraftQuorumOfThreeReplicatingEverythingThreeTimes()
      throws IOException {
    JsonNode override = Repo.yaml("deploy/compose-3brokers.yaml").path("services");
    Map<String, Map<String, String>> brokers = new TreeMap<>();
    override
        .fieldNames()
        .forEachRemaining(
            name -> {
              Map<String, String> env = mergedEnvironment(override, name);
              if (env.containsKey("KAFKA_NODE_ID")) {
                brokers.put(name, env);
              }
            });
    assertThat(brokers).containsOnlyKeys("kafka", "kafka-2", "kafka-3");

    List<String> voters = new ArrayList<>();
    brokers.forEach(
        (name, env) ->
            voters.add(
                env.get("KAFKA_NODE_ID")
                    + "@"
                    + name
                    + ":"
                    + listenerPort(env.get("KAFKA_LISTENERS"), "CONTROLLER")));
    int agentRecordBytes = Repo.agentConfig(mergedEnvironment(override, "agent")).maxMessageBytes();
    List<String> hostPorts = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> broker : brokers.entrySet()) {
      String name = broker.getKey();
      Map<String, String> env = broker.getValue();
      assertThat(env.get("KAFKA_PROCESS_ROLES")).as(name).isEqualTo("broker,controller");
      assertThat(List.of(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")))
          .as("%s: the quorum is the three nodes", name)
          .containsExactlyInAnyOrderElementsOf(voters);
      assertThat(env.get("CLUSTER_ID"))
          .as("%s: one cluster", name)
          .isEqualTo(brokers.get("kafka").get("CLUSTER_ID"))
          .isNotEmpty();
      for (String rf :
          List.of(
              "KAFKA_DEFAULT_REPLICATION_FACTOR",
              "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
              "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")) {
        assertThat(env.get(rf)).as("%s: %s", name, rf).isEqualTo("3");
      }
      assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).as(name).isEqualTo("2");
      assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(name).isEqualTo("2");
      assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).as(name).isEqualTo("false");
      assertThat(Integer.parseInt(env.get("KAFKA_MESSAGE_MAX_BYTES")))
          .isGreaterThanOrEqualTo(agentRecordBytes);
      assertThat(Integer.parseInt(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES")))
          .isGreaterThanOrEqualTo(agentRecordBytes);
      assertThat(env.get("KAFKA_ADVERTISED_LISTENERS"))
          .as("%s: advertised to the compose network under its service name", name)
          .contains(
              "INTERNAL://" + name + ":" + listenerPort(env.get("KAFKA_LISTENERS"), "INTERNAL"));
      JsonNode service = override.path(name).path("image").isMissingNode() ? services : override;
      assertThat(service.path(name).path("image").asText())
          .isEqualTo("apache/kafka:" + kafkaClientsVersion());
      int hostPort = listenerPort(env.get("KAFKA_LISTENERS"), "HOST");
      assertThat(containerPorts(service.path(name))).containsExactly(hostPort);
      assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("HOST://127.0.0.1:" + hostPort);
      hostPorts.add(Integer.toString(hostPort));
    }
    assertThat(hostPorts).doesNotHaveDuplicates();

    AgentConfig agent =
        AgentEnvironment.check("compose-3brokers agent", mergedEnvironment(override, "agent"));
    assertThat(agent.topics().replicationFactor()).isEqualTo((short) 3);
    List<String> internal = new ArrayList<>();
    brokers.forEach(
        (name, env) ->
            internal.add(name + ":" + listenerPort(env.get("KAFKA_LISTENERS"), "INTERNAL")));
    assertThat(List.of(agent.bootstrapServers().orElseThrow().split(",")))
        .containsExactlyInAnyOrderElementsOf(internal);
    List<String> awaited = new ArrayList<>();
    services.path("agent").path("depends_on").fieldNames().forEachRemaining(awaited::add);
    override.path("agent").path("depends_on").fieldNames().forEachRemaining(awaited::add);
    assertThat(awaited)
        .as("the agent starts once every broker is healthy")
        .containsAll(brokers.keySet());
  }

  /** A service's environment in compose.yaml with the override's entries merged over it. */
  private Map<String, String> mergedEnvironment(JsonNode override, String service) {
    Map<String, String> env =
        new LinkedHashMap<>(Repo.strings(services.path(service).path("environment")));
    env.putAll(Repo.strings(override.path(service).path("environment")));
    return env;
  }

  /**
   * The version of the Kafka client jars the agent is built with (their kafka-version.properties).
   */
  private static String kafkaClientsVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = ClassLoader.getSystemResourceAsStream("kafka/kafka-version.properties")) {
      assertThat(in).as("kafka/kafka-version.properties of kafka-clients").isNotNull();
      p.load(in);
    }
    return p.getProperty("version");
  }

  /** Container ports of a service's "host:hostPort:containerPort" mappings. */
  private static List<Integer> containerPorts(JsonNode service) {
    List<Integer> ports = new ArrayList<>();
    service
        .path("ports")
        .forEach(
            p -> {
              String[] parts = p.asText().split(":");
              ports.add(Integer.parseInt(parts[parts.length - 1]));
            });
    return ports;
  }

  private static int listenerPort(JsonNode kafka, String listener) {
    return listenerPort(kafka.path("environment").path("KAFKA_LISTENERS").asText(), listener);
  }

  /** The port of one listener in a KAFKA_LISTENERS value ({@code NAME://host:port,...}). */
  private static int listenerPort(String listeners, String listener) {
    for (String l : listeners.split(",")) {
      if (l.startsWith(listener + "://")) {
        return Integer.parseInt(l.substring(l.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError("no listener " + listener + " in KAFKA_LISTENERS");
  }

  private static String mountTarget(JsonNode service, String source) {
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[0].equals(source)) {
        return parts[1];
      }
    }
    throw new AssertionError("no volume with source " + source + " in " + service);
  }

  private static String argument(JsonNode service, String prefix) {
    for (JsonNode a : service.path("command")) {
      if (a.asText().startsWith(prefix)) {
        return a.asText().substring(prefix.length());
      }
    }
    throw new AssertionError("no argument " + prefix + " in " + service.path("command"));
  }
}
