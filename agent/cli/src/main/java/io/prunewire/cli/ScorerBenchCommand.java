package io.prunewire.cli;

import io.prunewire.evaluation.bench.ScorerSuite;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prunewire bench scorers}: runs {@link ScorerSuite} as its flags say. */
@Command(
    name = "scorers",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the scorers' JMH benchmarks in a forked JVM and prints the median, min and max of their"
          + " measurement iterations:",
      "  mergeLayerSummary: one layer's activation+gradient summary merged into the layer's state,"
          + " 650 and 1,300 neurons; its :neuronMerges row is neuron summaries merged per second.",
      "  mergeMomentsAndCounts: the same without the histogram and co-activation parts.",
      "  fullRescore: 2 x 1,300 neurons, every criterion, rank-normalised, every fusion (ms per rescore).",
      "  fullRescoreAllNormalisations: the same for each of the 3 normalisations (ms).",
      "  criteriaOnly: the criteria alone (ms).",
      "Example: prunewire bench scorers --quick --include fullRescore",
      "About 2 minutes (40 s with --quick); run it on a quiet machine. Results: docs/BENCHMARKS.md."
    })
final class ScorerBenchCommand implements Callable<Integer> {

  @Option(
      names = "--quick",
      description =
          "1 warm-up and 3 measurement iterations of 1 s each"
              + " (default: 3 warm-up and 5 measurement iterations of 2 s).")
  boolean quick;

  @Option(
      names = "--forks",
      defaultValue = "1",
      description = "JVM forks per benchmark (default: ${DEFAULT-VALUE}).")
  int forks;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Only benchmarks whose name matches this regular expression.")
  String include;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write JMH's JSON results to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    int ran = ScorerSuite.run(new ScorerSuite.Settings(quick, forks, include, json), System.out);
    return ran == 0 ? 1 : 0;
  }
}
