package io.prunewire.cli;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.evaluation.progress.Progress;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import io.prunewire.service.bench.AgentThroughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire bench agent}: sustained agent throughput, lag and decision latency. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the agent through a real broker: simulated trainers of one run send per-layer"
          + " summaries (activation, gradient, curvature, weight statistics) of a spiking and an"
          + " analog layer as fast as the producer allows, reaching a checkpoint every few steps.",
      "Reports sustained events/s (until the agent has processed everything), the lag"
          + " (acknowledged minus processed events) over time, decision latency p50/p99 inside"
          + " the agent and end to end (checkpoint acknowledged to decision readable), and the"
          + " changelog bytes written.",
      "Without --bootstrap-servers it starts an embedded broker. Results belong in"
          + " docs/BENCHMARKS.md, section \"Agent throughput\"."
    })
final class AgentBenchCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka cluster to use (default: an embedded broker).")
  String bootstrapServers;

  @Option(
      names = "--trainers",
      defaultValue = "2",
      description = "Simulated trainers of the run (default ${DEFAULT-VALUE}).")
  int trainers;

  @Option(
      names = "--neurons",
      defaultValue = "1300",
      description = "Neurons per layer; each trainer sends two layers (default ${DEFAULT-VALUE}).")
  int neurons;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "How long the trainers send (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "10",
      description =
          "Steps (8 events each per trainer) between checkpoints (default ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Offered load in layer summaries per second over all trainers; 0 sends as"
              + " fast as possible (default ${DEFAULT-VALUE}). Use a rate below capacity to measure"
              + " decision latency without a backlog.")
  double rate;

  @Option(
      names = "--commit-interval",
      defaultValue = "500ms",
      description = "Agent commit interval (default ${DEFAULT-VALUE}).")
  String commitInterval;

  @Mixin KafkaClientOptions kafka;

  @Spec CommandSpec spec;

  @Option(
      names = "--lag-csv",
      paramLabel = "FILE",
      description = "Also write the lag samples (seconds, produced, processed, lag) as CSV.")
  Path lagCsv;

  @Override
  public Integer call() throws Exception {
    Path state = Files.createTempDirectory("prunewire-bench-state-");
    AgentConfig config;
    try {
      config =
          AgentConfig.resolve(
                  Optional.empty(),
                  Map.of(),
                  Map.of(
                      "application.id",
                      "prunewire-bench-" + System.currentTimeMillis(),
                      "state.dir",
                      state.toString(),
                      "metrics.port",
                      "0",
                      "partitions",
                      "1",
                      "commit.interval",
                      commitInterval))
              .toBuilder()
              .kafkaClientProperties(kafka.resolve())
              .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    AgentThroughput.Settings settings =
        new AgentThroughput.Settings(
            trainers,
            neurons,
            Duration.ofSeconds(seconds),
            checkpointEvery,
            Math.max(1, neurons / 100),
            rate);
    EmbeddedKafka broker = bootstrapServers == null ? EmbeddedKafka.builder().start() : null;
    String servers = broker == null ? bootstrapServers : broker.bootstrapServers();
    AgentThroughput.Result r;
    try (PrunewireAgent agent = PrunewireAgent.start(servers, config)) {
      if (!agent.awaitReady(Duration.ofSeconds(60))) {
        System.err.println("agent did not become ready within 60 s");
        return 1;
      }
      try (Progress bar = Progress.start("bench agent", seconds, " s")) {
        r =
            AgentThroughput.run(
                servers,
                agent,
                settings,
                s -> {
                  bar.stepTo(Math.min(seconds, (long) s.seconds()));
                  bar.setExtraMessage("lag " + s.lag());
                });
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
    print(settings, r);
    if (lagCsv != null) {
      StringBuilder csv = new StringBuilder("seconds,produced,processed,lag\n");
      r.lag()
          .forEach(
              s ->
                  csv.append(
                      String.format(
                          Locale.ROOT,
                          "%.2f,%d,%d,%d%n",
                          s.seconds(),
                          s.produced(),
                          s.processed(),
                          s.lag())));
      Files.writeString(lagCsv, csv);
    }
    return 0;
  }

  private static void print(AgentThroughput.Settings s, AgentThroughput.Result r) {
    long maxLag = r.lag().stream().mapToLong(AgentThroughput.LagSample::lag).max().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "trainers %d, layers 2 x %d neurons, sent for %.1f s%n",
        s.trainers(),
        s.neurons(),
        r.sendSeconds());
    System.out.printf(
        Locale.ROOT,
        "events %d (%.1f MB), processed in %.1f s: %.0f events/s" + " (%.1f MB/s)%n",
        r.events(),
        r.bytes() / 1e6,
        r.processSeconds(),
        r.eventsPerSecond(),
        r.bytes() / 1e6 / r.processSeconds());
    System.out.printf(
        Locale.ROOT,
        "lag: max %d events, final %d%n",
        maxLag,
        r.lag().get(r.lag().size() - 1).lag());
    System.out.printf(
        Locale.ROOT,
        "decisions %d: agent p50 %.1f ms, p99 %.1f ms;" + " end to end p50 %.0f ms, p99 %.0f ms%n",
        r.endToEndMillis().size(),
        r.agentP50Millis(),
        r.agentP99Millis(),
        r.endToEndPercentile(0.5),
        r.endToEndPercentile(0.99));
    System.out.printf(
        Locale.ROOT,
        "agent stream thread CPU: %.1f s, %.2f ms per event" + " (%.0f events per CPU-second)%n",
        r.streamThreadCpuSeconds(),
        1e3 * r.streamThreadCpuSeconds() / r.events(),
        r.events() / r.streamThreadCpuSeconds());
    System.out.printf(
        Locale.ROOT,
        "changelog bytes written: %.1f MB (%.1f MB/s)%n",
        r.changelogBytes() / 1e6,
        r.changelogBytes() / 1e6 / r.processSeconds());
  }
}
