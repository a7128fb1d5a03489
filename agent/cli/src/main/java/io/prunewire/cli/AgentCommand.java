package io.prunewire.cli;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire agent}: runs the pruning agent until interrupted. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pruning agent: consumes trainer telemetry from Kafka, keeps per-neuron importance"
          + " state (restored from Kafka after a restart), and publishes a pruning decision per"
          + " (run, checkpoint).",
      "Without --bootstrap-servers it starts an embedded single-node Kafka broker on 127.0.0.1"
          + " and prints its address for trainers.",
      "Settings come from, lowest precedence first: defaults, --config FILE (properties with"
          + " the keys below), environment variables PRUNEWIRE_<KEY> (e.g."
          + " PRUNEWIRE_BARRIER_TIMEOUT=30s; any other PRUNEWIRE_ variable than the launcher's PRUNEWIRE_JAVA_OPTS"
          + " and PRUNEWIRE_STACK_DIR is refused as a misspelling), flags.",
      "Keys: bootstrap.servers, application.id, state.dir, telemetry.topic, decisions.topic,"
          + " dead.letter.topic, partitions, replication.factor, metrics.bind, metrics.port,"
          + " barrier.timeout (e.g. 30s), commit.interval, cache.max.bytes, max.message.bytes,"
          + " stream.threads; decisions: snn.ratio (share of kept neurons that are spiking,"
          + " default 0.5), min.kept.fraction (per-layer floor, default 0.05),"
          + " max.removed.fraction (per layer and checkpoint, default 0.5), protected.layers"
          + " (comma-separated), normalizer (rank, robust_z or min_max; default rank), fusion"
          + " (outcome, learned, simple, seed, adaptive or criterion:<name>; default outcome: criteria"
          + " chosen by the measured damage of removal candidates that protocol-v2 trainers measure),"
          + " outcome.timeout (default 10s), outcome.candidates (default 10), outcome.fraction (default"
          + " 0.5, or planned: the checkpoint's own share), outcome.start (the criteria a run starts"
          + " from, comma-separated, or every; default every), outcome.margin (combined standard"
          + " errors of the trainers' outcomes a candidate's measured gain must exceed to be adopted;"
          + " default 0), retention (type-aware, fixed-ratio, global, cv, percentile or top-k; default"
          + " type-aware), retention.cv.share, retention.percentile, retention.k,"
          + " schedule (trainer, one-shot, linear or cubic), target.sparsity, schedule.start,"
          + " schedule.checkpoints, schedule.interval; limits (a record beyond one is dead-lettered as"
          + " limit_exceeded): max.layers.per.run (default 1024), max.neurons.per.layer (65536),"
          + " max.active.runs (per partition, 256; retired runs do not count), max.state.bytes.per.run"
          + " (268435456); run.retention (default 24h: a run whose last event is that much older, in"
          + " record time, than the newest record of its partition is retired: its state is deleted and"
          + " its trainers must send RunStarted again); signing:"
          + " signing.key.file, signing.key.id; recovery: instance.id (static group membership: a"
          + " restarted instance takes its partitions back at once), session.timeout (default 10s),"
          + " standby.replicas (default 0).",
      "With schedule=trainer (default) each checkpoint prunes the neurons its trainers plan"
          + " (CheckpointEvent.plannedRemovals); otherwise the schedule's sparsity at the"
          + " checkpoint's step. Always under the rails; pruned neurons stay pruned.",
      "Kafka client properties for a secured cluster (TLS, SASL) go to every Kafka client of the"
          + " agent (the Kafka Streams consumer, restore consumer, producer and admin, and the admin that"
          + " creates the topics): --kafka-config FILE (Java properties, like Kafka's client.properties),"
          + " then each --kafka-property KEY=VALUE; the same options as prunewire train. Kafka Streams"
          + " prefixes (consumer., producer., admin., ...) address one kind of client. Keys the agent"
          + " sets itself (bootstrap.servers, application.id, processing.guarantee, serdes, ...) are"
          + " refused by name.",
      "Serves /metrics (Prometheus), /health and /ready. Ctrl-C stops it and leaves the"
          + " consumer group at once."
    })
final class AgentCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka cluster to join (default: start an embedded broker).")
  String bootstrapServers;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Port of /metrics, /health, /ready (default 9404; 0 = any free port).")
  Integer metricsPort;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "Address the HTTP endpoints bind to (default 127.0.0.1).")
  String bind;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with agent settings (keys as listed above).")
  Path configFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Local RocksDB directory; a cache of the changelog topics (default: tmp).")
  Path stateDir;

  @Option(
      names = "--barrier-timeout",
      paramLabel = "DURATION",
      description =
          "Wait this long (e.g. 30s, 2m) for missing trainers before deciding a"
              + " checkpoint without them (default 60s).")
  String barrierTimeout;

  @Option(
      names = "--run-retention",
      paramLabel = "DURATION",
      description =
          "Retire a run whose last event is this much older (e.g. 24h, 90m), in record time, than"
              + " the newest record of its partition: its state and per-run metrics go, it no longer counts"
              + " towards max.active.runs, and its trainers must send RunStarted again (default 24h).")
  String runRetention;

  @Option(
      names = "--signing-key",
      paramLabel = "FILE",
      description =
          "Ed25519 private key (PKCS#8 PEM, from prunewire keygen) to sign every decision with;"
              + " needs --signing-key-id. Default: decisions unsigned.")
  Path signingKey;

  @Option(
      names = "--signing-key-id",
      paramLabel = "ID",
      description =
          "Id of the signing key, sent with each signature (trainers: --decision-key ID=FILE).")
  String signingKeyId;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "Stable id of this instance in the consumer group (e.g. the pod name): restarted after a"
              + " crash it takes its partitions back at once. Never give two running instances the same id."
              + " Default: dynamic membership.")
  String instanceId;

  @Mixin KafkaClientOptions kafka;

  @Spec CommandSpec spec;

  @Option(
      names = "--broker-port",
      paramLabel = "PORT",
      description =
          "Port of the embedded broker when no --bootstrap-servers (default 9092;"
              + " 0 = any free port).")
  int brokerPort = 9092;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config(System.getenv());

    EmbeddedKafka broker = null;
    String servers;
    if (config.bootstrapServers().isPresent()) {
      servers = config.bootstrapServers().get();
    } else {
      if (config.stateDir().equals(AgentConfig.builder().build().stateDir())) {
        // A fresh embedded broker has none of the changelogs an old local state refers to.
        config =
            config.toBuilder()
                .stateDir(Files.createTempDirectory("prunewire-agent-state-"))
                .build();
      }
      System.out.println("starting embedded Kafka broker ...");
      broker =
          EmbeddedKafka.builder().port(brokerPort).partitions(config.topics().partitions()).start();
      servers = broker.bootstrapServers();
      System.out.println(
          "embedded Kafka broker at "
              + servers
              + " (trainers: --bootstrap-servers "
              + servers
              + ")");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedKafka ownedBroker = broker;
    try (PrunewireAgent agent = PrunewireAgent.start(servers, config)) {
      System.out.println(
          "agent running; metrics on http://"
              + config.metricsBind()
              + ":"
              + agent.metricsPort()
              + "/metrics; Ctrl-C stops it");
      Thread hook =
          new Thread(
              () -> {
                agent.close();
                if (ownedBroker != null) {
                  ownedBroker.close();
                }
                stopped.countDown();
              },
              "prunewire-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      stopped.await();
    }
    return 0;
  }

  /**
   * The agent's configuration from the settings sources and the Kafka client options, whose
   * truststores and keystores must load.
   *
   * @throws ParameterException naming the setting or client property and its source, or the store
   *     that does not load
   */
  AgentConfig config(Map<String, String> env) throws IOException {
    Map<String, String> overrides = new LinkedHashMap<>();
    put(overrides, "bootstrap.servers", bootstrapServers);
    put(overrides, "metrics.port", metricsPort == null ? null : metricsPort.toString());
    put(overrides, "metrics.bind", bind);
    put(overrides, "state.dir", stateDir == null ? null : stateDir.toString());
    put(overrides, "barrier.timeout", barrierTimeout);
    put(overrides, "run.retention", runRetention);
    put(overrides, "signing.key.file", signingKey == null ? null : signingKey.toString());
    put(overrides, "signing.key.id", signingKeyId);
    put(overrides, "instance.id", instanceId);
    try {
      Map<String, String> kafkaProperties = kafka.resolve();
      // Before the embedded broker and Kafka Streams start, which would fail with a stack trace.
      KeyStoreCheck.check(kafkaProperties);
      return AgentConfig.resolve(Optional.ofNullable(configFile), env, overrides).toBuilder()
          .kafkaClientProperties(kafkaProperties)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
