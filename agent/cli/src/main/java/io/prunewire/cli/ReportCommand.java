package io.prunewire.cli;

import io.prunewire.evaluation.report.KafkaRunStory;
import io.prunewire.evaluation.report.PrometheusRunStory;
import io.prunewire.evaluation.report.RunCharts;
import io.prunewire.evaluation.report.RunStory;
import io.prunewire.protocol.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire report}: a run's story as a PNG, for people without Grafana. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a run's story as one PNG of three plots over the training step: training loss and validation"
          + " perplexity with every decision marked, neurons kept per layer and type, and the fusion weights.",
      "",
      "From Prometheus (--prometheus URL; its query_range API over the last --hours): everything, from the"
          + " trainers' /metrics (prunewire_trainer_*) and the agent's (prunewire_fusion_weight).",
      "From Kafka (--bootstrap-servers; the run's RunStarted on the telemetry topic and its decisions):"
          + " decisions, kept neurons and fusion weights; the loss is not on the topics.",
      "",
      "Examples:",
      "  prunewire report --run r1 --prometheus http://127.0.0.1:9090",
      "  prunewire report --run r1 --bootstrap-servers 127.0.0.1:9092 --out r1.png"
    })
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "The run id.")
  String run;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description =
          "Read from this Prometheus (base URL, e.g. http://127.0.0.1:9090); or --bootstrap-servers.")
  String prometheus;

  @Option(
      names = "--bootstrap-servers",
      description = "Read from the topics of this Kafka cluster; or --prometheus.")
  String bootstrapServers;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--hours",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "With --prometheus: the run lies within the last N hours (default: ${DEFAULT-VALUE}).")
  int hours;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "With --bootstrap-servers: seconds to read the topics (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "The PNG to write (default: runs/report-<run>.png).")
  Path out;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter printer = spec.commandLine().getOut();
    Path file =
        out != null
            ? out
            : Path.of("runs", "report-" + run.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
    RunStory story;
    try {
      if ((prometheus == null) == (bootstrapServers == null)) {
        throw new IllegalArgumentException(
            "give exactly one of --prometheus URL and --bootstrap-servers");
      }
      if (prometheus != null) {
        if (hours < 1) {
          throw new IllegalArgumentException("--hours must be >= 1, got " + hours);
        }
        story = PrometheusRunStory.read(prometheus, run, Instant.now(), Duration.ofHours(hours));
      } else {
        if (timeoutSeconds < 1) {
          throw new IllegalArgumentException("--timeout must be >= 1, got " + timeoutSeconds);
        }
        Map<String, String> properties = kafka.resolve();
        story =
            KafkaRunStory.read(
                bootstrapServers,
                properties,
                Topics.TELEMETRY,
                Topics.DECISIONS,
                run,
                Duration.ofSeconds(timeoutSeconds));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    RunCharts.write(story, file);
    printer.printf(
        "run %s: %d training-loss points, %d perplexity points, %d decisions, %d layers, %d criteria"
            + " -> %s%n",
        run,
        story.trainingLoss().size(),
        story.validationPerplexity().size(),
        story.decisionSteps().size(),
        story.keptNeurons().size(),
        story.fusionWeights().size(),
        file);
    printer.flush();
    return 0;
  }
}
