package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prunewire.cli.Main;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.MetricsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** deploy/k8s against the code: settings, ports, probe paths, selectors and the scrape job. */
class KubernetesConsistencyTest {

  private final List<JsonNode> docs = manifests();

  @Test
  void everyManifestIsAnObjectAndKustomizationListsThemAll() throws IOException {
    for (JsonNode doc : docs) {
      assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc).isNotEmpty();
      assertThat(doc.path("kind").asText()).as("kind of %s", doc).isNotEmpty();
      assertThat(doc.path("metadata").path("name").asText()).as("name of %s", doc).isNotEmpty();
    }
    List<String> listed = new ArrayList<>();
    Repo.yaml("deploy/k8s/kustomization.yaml")
        .path("resources")
        .forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(Repo.path("deploy/k8s"))) {
      assertThat(listed)
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                  .toList());
    }
  }

  @Test
  void configMapIsValidAgentConfigurationAndTheStatefulSetReadsIt() {
    JsonNode configMap = only("ConfigMap", "prunewire-agent");
    AgentEnvironment.check("k8s ConfigMap", Repo.strings(configMap.path("data")));
    assertThat(agentContainer().path("envFrom").get(0).path("configMapRef").path("name").asText())
        .isEqualTo(configMap.path("metadata").path("name").asText());
  }

  @Test
  void containerPortServicePortAndProbesMatchTheAgentsEndpoints() throws Exception {
    AgentConfig config =
        Repo.agentConfig(Repo.strings(only("ConfigMap", "prunewire-agent").path("data")));
    JsonNode container = agentContainer();
    JsonNode port = container.path("ports").get(0);
    assertThat(port.path("containerPort").asInt()).isEqualTo(config.metricsPort());
    String portName = port.path("name").asText();
    assertThat(container.path("livenessProbe").path("httpGet").path("port").asText())
        .isEqualTo(portName);
    assertThat(container.path("readinessProbe").path("httpGet").path("port").asText())
        .isEqualTo(portName);
    String liveness = container.path("livenessProbe").path("httpGet").path("path").asText();
    String readiness = container.path("readinessProbe").path("httpGet").path("path").asText();
    assertThat(liveness).isEqualTo("/health");
    assertThat(readiness).isEqualTo("/ready");

    JsonNode servicePort = only("Service", "prunewire-agent").path("spec").path("ports").get(0);
    assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
    assertThat(servicePort.path("port").asInt()).isEqualTo(config.metricsPort());

    // the agent's own HTTP server: a live agent answers the probes, a starting one is not ready
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsServer server =
        MetricsServer.start("127.0.0.1", 0, registry, () -> true, () -> false)) {
      assertThat(status(server.port(), liveness)).isEqualTo(200);
      assertThat(status(server.port(), readiness)).isEqualTo(503);
      assertThat(status(server.port(), "/metrics")).isEqualTo(200);
    }
  }

  @Test
  void selectorsMatchThePodTemplate() {
    JsonNode agents = only("StatefulSet", "prunewire-agent");
    Map<String, String> podLabels =
        Repo.strings(agents.path("spec").path("template").path("metadata").path("labels"));
    assertThat(podLabels)
        .containsAllEntriesOf(
            Repo.strings(agents.path("spec").path("selector").path("matchLabels")));
    assertThat(podLabels)
        .containsAllEntriesOf(
            Repo.strings(only("Service", "prunewire-agent").path("spec").path("selector")));
  }

  @Test
  void replicasAreStaticMembersWithTheirOwnStateAndStandbysAndAtMostOneIsDisrupted() {
    JsonNode agents = only("StatefulSet", "prunewire-agent");
    Map<String, String> settings =
        new LinkedHashMap<>(Repo.strings(only("ConfigMap", "prunewire-agent").path("data")));
    JsonNode instanceId = agentContainer().path("env").get(0);
    assertThat(instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .as("instance id from the pod's name")
        .isEqualTo("metadata.name");
    settings.put(instanceId.path("name").asText(), "prunewire-agent-0");
    AgentConfig config = Repo.agentConfig(settings);
    assertThat(config.instanceId()).as("static membership").contains("prunewire-agent-0");

    int replicas = agents.path("spec").path("replicas").asInt();
    assertThat(replicas).as("several replicas").isGreaterThanOrEqualTo(2);
    assertThat(replicas)
        .as("no more replicas than tasks (one per partition): the rest would idle")
        .isLessThanOrEqualTo(config.topics().partitions());
    assertThat(config.standbyReplicas())
        .as("a warm copy of every task on another replica")
        .isBetween(1, replicas - 1);
    assertThat(config.sessionTimeout())
        .as("a crashed replica's partitions move within the default failover bound")
        .isLessThanOrEqualTo(Duration.ofSeconds(10));

    // The state directory is a volume of the pod's own claim, which outlives the pod.
    JsonNode mount = agentContainer().path("volumeMounts").get(0);
    assertThat(Path.of(mount.path("mountPath").asText())).isEqualTo(config.stateDir());
    JsonNode claims = agents.path("spec").path("volumeClaimTemplates");
    assertThat(claims).hasSize(1);
    assertThat(claims.get(0).path("metadata").path("name").asText())
        .isEqualTo(mount.path("name").asText());
    assertThat(agents.path("spec").path("template").path("spec").path("volumes"))
        .as("no pod volume shadows the claim")
        .isEmpty();

    JsonNode service = only("Service", agents.path("spec").path("serviceName").asText());
    assertThat(service.path("spec").path("clusterIP").asText())
        .as("the governing Service is headless")
        .isEqualTo("None");

    JsonNode budget = only("PodDisruptionBudget", "prunewire-agent");
    assertThat(budget.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(Repo.strings(agents.path("spec").path("template").path("metadata").path("labels")))
        .containsAllEntriesOf(
            Repo.strings(budget.path("spec").path("selector").path("matchLabels")));
  }

  @Test
  void scrapeConfigKeepsTheServicesMetricsPortAsTheRulesJob() {
    JsonNode job = PrometheusConfigs.agentJob(prometheusConfig());
    JsonNode keep = job.path("relabel_configs").get(0);
    assertThat(keep.path("action").asText()).isEqualTo("keep");
    String service = only("Service", "prunewire-agent").path("metadata").path("name").asText();
    String portName = agentContainer().path("ports").get(0).path("name").asText();
    assertThat(keep.path("regex").asText()).isEqualTo(service + ";" + portName);
  }

  @Test
  void theTrainerJobsPodsAreScrapedOnTheirMetricsPortAsTheTrainerJob() {
    JsonNode job = trainerJob();
    JsonNode pod = job.path("spec").path("template");
    JsonNode container = pod.path("spec").path("containers").get(0);
    ParseResult train = Main.commandLine().parseArgs(strings(container.path("args"))).subcommand();
    assertThat(train.commandSpec().name()).isEqualTo("train");
    int metricsPort = train.matchedOptionValue("--metrics-port", 0);
    assertThat(train.<String>matchedOptionValue("--metrics-bind", null)).isEqualTo("0.0.0.0");
    assertThat(train.<String>matchedOptionValue("--bootstrap-servers", null))
        .as("the agent's cluster")
        .isEqualTo(
            Repo.strings(only("ConfigMap", "prunewire-agent").path("data"))
                .get("PRUNEWIRE_BOOTSTRAP_SERVERS"));
    // One trainer per index of an Indexed Job, all of one run, the agent waiting for each of them.
    assertThat(job.path("spec").path("completionMode").asText()).isEqualTo("Indexed");
    assertThat(train.<Integer>matchedOptionValue("--fleet-size", 0))
        .isEqualTo(job.path("spec").path("completions").asInt())
        .isEqualTo(job.path("spec").path("parallelism").asInt());
    assertThat(train.<String>matchedOptionValue("--trainer-id", null))
        .isEqualTo("trainer-$(TRAINER_INDEX)");
    assertThat(container.path("env").get(0).path("name").asText()).isEqualTo("TRAINER_INDEX");
    assertThat(
            container
                .path("env")
                .get(0)
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");

    JsonNode scrape = PrometheusConfigs.trainerJob(prometheusConfig());
    JsonNode sd = scrape.path("kubernetes_sd_configs").get(0);
    assertThat(sd.path("role").asText()).isEqualTo("pod");
    String[] selector = sd.path("selectors").get(0).path("label").asText().split("=", 2);
    assertThat(Repo.strings(pod.path("metadata").path("labels")))
        .containsEntry(selector[0], selector[1]);

    Map<String, String> discovered = podTarget(pod, metricsPort, "Running");
    Map<String, String> target =
        Relabeling.apply(scrape.path("relabel_configs"), discovered).orElseThrow();
    assertThat(target)
        .containsEntry("__address__", "10.1.2.3:" + metricsPort)
        .containsEntry("__metrics_path__", "/metrics")
        .containsEntry("pod", "prunewire-trainers-0-x7k2p")
        .containsEntry("namespace", "training");
    assertThat(
            Relabeling.apply(
                scrape.path("relabel_configs"), podTarget(pod, metricsPort, "Succeeded")))
        .as("a finished trainer")
        .isEmpty();
    Map<String, String> optedOut = new LinkedHashMap<>(discovered);
    optedOut.remove("__meta_kubernetes_pod_annotation_prometheus_io_scrape");
    assertThat(Relabeling.apply(scrape.path("relabel_configs"), optedOut))
        .as("a pod without the annotation")
        .isEmpty();
  }

  @Test
  void theAgentJobDoesNotPickUpTrainerPods() {
    JsonNode agentJob = PrometheusConfigs.agentJob(prometheusConfig());
    JsonNode pod = trainerJob().path("spec").path("template");
    Map<String, String> trainer = podTarget(pod, 9405, "Running");
    trainer.put("__meta_kubernetes_endpoint_port_name", "metrics");
    assertThat(Relabeling.apply(agentJob.path("relabel_configs"), trainer)).isEmpty();
  }

  /**
   * What Kubernetes pod discovery reports for a pod of this template with its one container port
   * (documented meta labels; annotation and label names sanitised).
   */
  private static Map<String, String> podTarget(JsonNode pod, int port, String phase) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("__address__", "10.1.2.3:" + port);
    labels.put("__metrics_path__", "/metrics");
    labels.put("__meta_kubernetes_namespace", "training");
    labels.put("__meta_kubernetes_pod_name", "prunewire-trainers-0-x7k2p");
    labels.put("__meta_kubernetes_pod_ip", "10.1.2.3");
    labels.put("__meta_kubernetes_pod_phase", phase);
    Repo.strings(pod.path("metadata").path("labels"))
        .forEach((k, v) -> labels.put("__meta_kubernetes_pod_label_" + Relabeling.sanitize(k), v));
    Repo.strings(pod.path("metadata").path("annotations"))
        .forEach(
            (k, v) -> labels.put("__meta_kubernetes_pod_annotation_" + Relabeling.sanitize(k), v));
    return labels;
  }

  private JsonNode prometheusConfig() {
    return Repo.yamlDocumentsOf(
            only("ConfigMap", "prunewire-prometheus").path("data").path("prometheus.yml").asText(),
            "prunewire-prometheus/prometheus.yml")
        .get(0);
  }

  private static JsonNode trainerJob() {
    JsonNode job = Repo.yaml("deploy/k8s/examples/trainer-job.yaml");
    assertThat(job.path("kind").asText()).isEqualTo("Job");
    return job;
  }

  private static String[] strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out.toArray(String[]::new);
  }

  private JsonNode agentContainer() {
    JsonNode containers =
        only("StatefulSet", "prunewire-agent")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private JsonNode only(String kind, String name) {
    List<JsonNode> found =
        docs.stream()
            .filter(
                d ->
                    d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
            .toList();
    assertThat(found).as("%s %s in deploy/k8s", kind, name).hasSize(1);
    return found.get(0);
  }

  private static List<JsonNode> manifests() {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Repo.path("deploy/k8s"))) {
      files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
          .sorted()
          .forEach(f -> docs.addAll(Repo.yamlDocuments("deploy/k8s/" + f)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return docs;
  }

  private static int status(int port, String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
