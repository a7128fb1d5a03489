package io.prunewire.cli;

import io.prunewire.evaluation.bench.BenchTable;
import io.prunewire.evaluation.bench.ProgressOutput;
import io.prunewire.evaluation.bench.ScorerBenchmarks;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prunewire bench scorers}: the scorers' JMH suite in a forked JVM, printed as medians. */
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

  private static final String SUITE = ScorerBenchmarks.class.getName();

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
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include == null ? SUITE : SUITE + ".*" + include)
            .forks(forks)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.seconds(quick ? 1 : 2))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(quick ? 1 : 2))
            .jvmArgsAppend("-Xmx2g");
    if (json != null) {
      options.resultFormat(ResultFormatType.JSON).result(json.toString());
    }
    Collection<RunResult> results =
        new Runner(options.build(), new ProgressOutput(System.err)).run();
    System.out.print(BenchTable.format(results));
    return results.isEmpty() ? 1 : 0;
  }
}
