package io.prunewire.cli;

import io.prunewire.evaluation.demo.Demo;
import io.prunewire.evaluation.demo.DemoSettings;
import io.prunewire.evaluation.demo.RecoveryWindows;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire demo}: broker, agent and a pruning trainer in one JVM, ending with a report. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole loop in one process: starts an embedded single-node Kafka (KRaft) broker on 127.0.0.1,"
          + " the pruning agent (serving /metrics on 127.0.0.1; the port is printed) and a DL4J trainer of"
          + " the HSTNN hybrid RNN/SNN language model on a Penn Treebank slice.",
      "The trainer publishes per-neuron telemetry, curvature and ablation probes through Kafka. At each"
          + " checkpoint of a cubic schedule the agent decides which neurons go (by default the outcome"
          + " fusion: criteria chosen by the measured damage of removal candidates the trainer measures; type-aware retention with --snn-ratio) and the trainer applies the masks;"
          + " fine-tuning follows the last checkpoint (steps are rounded down to a multiple of"
          + " checkpoints + 1, minus one).",
      "It ends with a table per layer and neuron type (kept neurons, validation perplexity just before"
          + " and after every checkpoint, Spearman of the learned fusion and of HAP against the ablation"
          + " probes), written as Markdown plus JSON with provenance. Ctrl-C stops everything cleanly.",
      "The defaults took 4.5 to 7.5 minutes on the shared 2-core development machine (load 5 to 9).",
      "",
      "Examples:",
      "  prunewire demo",
      "  prunewire demo --rnn 128 --snn 128 --steps 480 --checkpoints 5 --report runs/wide/report.md",
      ""
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--embedding",
      description = "Embedding width (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int embedding;

  @Option(
      names = "--rnn",
      description = "RNN neurons per hybrid layer (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int rnn;

  @Option(
      names = "--snn",
      description = "Spiking neurons per hybrid layer (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int snn;

  @Option(
      names = "--steps",
      description =
          "Training steps (bptt 35 x batch 25 tokens each; one pass over that PTB"
              + " slice) (default: ${DEFAULT-VALUE}).",
      defaultValue = "240")
  int steps;

  @Option(
      names = "--checkpoints",
      description =
          "Pruning checkpoints, evenly spaced, fine-tuning after the last"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int checkpoints;

  @Option(
      names = "--target",
      description =
          "Share of hidden neurons removed by the last checkpoint"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double target;

  @Option(
      names = "--snn-ratio",
      description = "Share of the kept neurons that are spiking (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double snnRatio;

  @Option(
      names = "--eval-tokens",
      description = "Validation tokens for the perplexities (default: ${DEFAULT-VALUE}).",
      defaultValue = "8000")
  int evalTokens;

  @Option(
      names = "--eval-batch",
      description =
          "Parallel streams of those perplexities (default: ${DEFAULT-VALUE},"
              + " as the reference evaluates).",
      defaultValue = "10")
  int evalBatch;

  @Option(
      names = "--singles",
      description = "Single-neuron ablations per checkpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "32")
  int singles;

  @Option(
      names = "--groups",
      description =
          "Group ablations per checkpoint, each of the checkpoint's planned"
              + " removals (default: ${DEFAULT-VALUE}).",
      defaultValue = "6")
  int groups;

  @Option(
      names = "--probes",
      description =
          "Hutchinson probes per curvature round, one round per checkpoint"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int probes;

  @Option(
      names = "--seed",
      description = "Seed of weights, dropout and probes (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--metrics-port",
      description =
          "Port of the agent's /metrics on 127.0.0.1, 0 = any free port"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int metricsPort;

  @Option(
      names = "--fusion",
      description =
          "How the agent decides: outcome (criteria chosen by the measured damage of"
              + " the removals it proposes, which the trainer measures), learned (fitted to the ablation probes), simple, seed,"
              + " adaptive, or criterion:<name> for one criterion of `prunewire criteria` alone (default: ${DEFAULT-VALUE}).",
      defaultValue = "outcome")
  String fusion;

  @Option(
      names = "--recovery-steps",
      paramLabel = "N",
      description =
          "With fusion outcome: the trainer measures each removal candidate after N steps of"
              + " recovery that continue from the training optimiser's state, so that candidates"
              + " are judged by the damage training leaves; 0 measures the immediate damage"
              + " (default: ${DEFAULT-VALUE}: the demo's short SGD run would spend more time"
              + " recovering than training; compare's during-training arm uses 100 on training"
              + " windows).",
      defaultValue = "0")
  int recoverySteps;

  @Option(
      names = "--recovery-windows",
      paramLabel = "test|train",
      description = RecoveryWindowsHelp.DESCRIPTION + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "test")
  String recoveryWindows;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Markdown report; the JSON is written next to it"
              + " (default: runs/demo-<timestamp>/report.md).")
  Path report;

  private RecoveryWindows windows() {
    try {
      return RecoveryWindows.parse(recoveryWindows);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "demo: " + e.getMessage(), e);
    }
  }

  @Override
  public Integer call() throws Exception {
    Path reportFile =
        report != null
            ? report
            : Path.of(
                "runs",
                "demo-"
                    + LocalDateTime.now(ZoneId.systemDefault())
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
                "report.md");
    DemoSettings settings =
        DemoSettings.builder()
            .widths(embedding, rnn, snn)
            .steps(steps)
            .schedule(checkpoints, target)
            .snnRatio(snnRatio)
            .evaluation(evalTokens, evalBatch)
            .probing(singles, groups, probes)
            .seed(seed)
            .metricsPort(metricsPort)
            .report(reportFile)
            .fusion(fusion)
            .recoverySteps(recoverySteps)
            .recoveryWindows(windows())
            .build();
    // originalArgs() starts with the sub-command's own name.
    String commandLine =
        "prunewire " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    Demo.run(settings, commandLine, System.out).print(System.out);
    return 0;
  }
}
