package io.prunewire.cli;

import io.prunewire.evaluation.bench.AgentBench;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.bench.AgentThroughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire bench agent}: checks the flags, including the agents' settings and Kafka client
 * properties, and runs {@link AgentBench} with {@code prunewire agent} child processes.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the agent as it is deployed: starts --instances agent processes (each a"
          + " `prunewire agent` JVM with its own state directory, instance id and metrics port, all"
          + " in one consumer group) and --trainer-processes JVMs of simulated trainers. Each"
          + " simulated trainer sends, per step, the activation, gradient, curvature and weight"
          + " statistics of a spiking and an analog layer of --neurons neurons (8 layer summaries)"
          + " and a checkpoint every --checkpoint-every steps; --runs runs of --trainers trainers"
          + " each are spread over the trainer processes.",
      "For each offered load of --rates (layer summaries per second over all trainers; 0 = as"
          + " fast as the trainers can send) fresh runs send for --seconds; the benchmark then waits"
          + " until the consumer group's lag (telemetry end offsets minus committed offsets) is back"
          + " to 0. Per load it reports: events/s (events over the time until the lag was 0), the"
          + " largest lag, decisions of completed barriers against the checkpoints every trainer of"
          + " the run reached, decision latency p50/p99 inside the agents (barrier"
          + " complete to decision, from their /metrics histograms), CPU time per event of the agent"
          + " JVMs, of the trainer JVMs (while they sent) and of this JVM (the broker when it is"
          + " embedded), state bytes per run and per neuron (prunewire_state_bytes over every run"
          + " held), agent resident memory and changelog bytes per second.",
      "Then, unless --no-backlog, a backlog load: the agents stop, the trainers of fresh runs"
          + " send flat out for --seconds, and the agents, started again (same state, same"
          + " partitions), drain that backlog with no trainer running beside them; its events/s"
          + " counts from the first agent being ready again until the lag is 0. On a machine"
          + " shared with the broker and the trainers this is the load that shows what the agents"
          + " can do on their own; the offered loads show what they do beside the trainers.",
      "The last line is `events/s N`: the highest of those rates over the loads, the backlog"
          + " load included (with one instance, what one agent sustains).",
      "Without --bootstrap-servers it starts an embedded broker in this JVM. Child processes are"
          + " stopped when the benchmark ends, fails or is interrupted. Results belong in"
          + " docs/BENCHMARKS.md, section \"Agent throughput\"."
    })
final class AgentBenchCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka cluster to use (default: an embedded broker).")
  String bootstrapServers;

  @Option(
      names = "--quick",
      description =
          "A short one-instance run (a few minutes): one agent, one trainer process, 2 runs,"
              + " loads 1000 and flat out and the backlog for 15 s each; flags given explicitly"
              + " still apply.")
  boolean quick;

  @Option(
      names = "--instances",
      defaultValue = "1",
      description = "Agent processes (default ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--trainer-processes",
      defaultValue = "2",
      description = "JVMs the simulated trainers are spread over (default ${DEFAULT-VALUE}).")
  int trainerProcesses;

  @Option(
      names = "--runs",
      defaultValue = "4",
      description = "Runs per load, spread evenly over the partitions (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--trainers",
      defaultValue = "2",
      description = "Trainers per run, the fleet (default ${DEFAULT-VALUE}).")
  int trainers;

  @Option(
      names = "--neurons",
      defaultValue = "1300",
      description = "Neurons per layer; each trainer sends two layers (default ${DEFAULT-VALUE}).")
  int neurons;

  @Option(
      names = "--rates",
      paramLabel = "RATES",
      defaultValue = "500,1000,1500,2000,2500,0",
      split = ",",
      description =
          "Offered loads in layer summaries per second over all trainers, run one after the"
              + " other; 0 = flat out (default ${DEFAULT-VALUE}).")
  List<Double> rates;

  @Option(
      names = "--backlog",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "After the offered loads, drain a backlog the trainers sent while the agents were"
              + " stopped (default on; --no-backlog leaves it out).")
  boolean backlog;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "How long the trainers send at each load (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "10",
      description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of the telemetry topic; at most this many instances share the work"
              + " (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--commit-interval",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      description = "The agents' commit interval (default ${DEFAULT-VALUE}).")
  String commitInterval;

  @Option(
      names = "--agent-java-opts",
      paramLabel = "OPTIONS",
      defaultValue = "-Xmx1g",
      description =
          "JVM options of each agent process, space-separated (default ${DEFAULT-VALUE}); e.g."
              + " add -XX:StartFlightRecording=filename=agent.jfr to profile it.")
  String agentJavaOpts;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the agents' state directories and every child's log go (default: a new"
              + " temporary directory).")
  Path workDir;

  @Option(
      names = "--lag-csv",
      paramLabel = "FILE",
      description =
          "Also write the lag samples (load, offered: a rate, 0 for flat out or `backlog`;"
              + " seconds, produced, processed, lag).")
  Path lagCsv;

  @Mixin KafkaClientOptions kafka;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, String> kafkaProperties = kafka.resolve();
    AgentThroughput.Settings settings = settings(kafkaProperties);
    Path dir = workDir != null ? workDir : Files.createTempDirectory("prunewire-bench-agent-");
    AgentThroughput.Launch launch =
        new AgentThroughput.Launch(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")),
            List.of(Main.class.getName(), "agent"),
            Arrays.stream(agentJavaOpts.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList(),
            dir,
            kafkaProperties);
    AgentBench.run(bootstrapServers, settings, launch, lagCsv, System.out);
    return 0;
  }

  private AgentThroughput.Settings settings(Map<String, String> kafkaProperties) {
    var parsed = spec.commandLine().getParseResult();
    if (quick) {
      if (!parsed.hasMatchedOption("--instances")) {
        instances = 1;
      }
      if (!parsed.hasMatchedOption("--trainer-processes")) {
        trainerProcesses = 1;
      }
      if (!parsed.hasMatchedOption("--runs")) {
        runs = 2;
      }
      if (!parsed.hasMatchedOption("--rates")) {
        rates = List.of(1000.0, 0.0);
      }
      if (!parsed.hasMatchedOption("--seconds")) {
        seconds = 15;
      }
    }
    try {
      // the agents' own checks, before any process starts: a bad duration, a Kafka property the
      // agent sets itself, a keystore that does not load
      KeyStoreCheck.check(kafkaProperties);
      AgentConfig agent =
          AgentConfig.builder()
              .set("commit.interval", commitInterval, "--commit-interval")
              .kafkaClientProperties(kafkaProperties)
              .build();
      return new AgentThroughput.Settings(
          instances,
          trainerProcesses,
          runs,
          trainers,
          neurons,
          rates,
          Duration.ofSeconds(seconds),
          checkpointEvery,
          partitions,
          agent.commitInterval(),
          backlog);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "bench agent: " + e.getMessage(), e);
    }
  }
}
