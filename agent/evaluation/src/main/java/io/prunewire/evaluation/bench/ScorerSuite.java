package io.prunewire.evaluation.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code prunewire bench scorers}: {@link ScorerBenchmarks} run by JMH in forked JVMs, progress on
 * standard error, the medians as a table ({@link BenchTable}).
 */
public final class ScorerSuite {

  private static final String SUITE = ScorerBenchmarks.class.getName();

  /**
   * How to run the suite, as {@code prunewire bench scorers}' flags give it.
   *
   * @param quick 1 warm-up and 3 measurement iterations of 1 s (else 3 and 5 of 2 s)
   * @param forks JVM forks per benchmark
   * @param include only benchmarks whose name matches this regular expression, or null for all
   * @param json where to write JMH's JSON results too, or null
   */
  public record Settings(boolean quick, int forks, String include, Path json) {}

  private ScorerSuite() {}

  /** Runs the benchmarks, prints their table and returns how many ran. */
  public static int run(Settings s, PrintStream out) throws RunnerException {
    boolean quick = s.quick();
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(s.include() == null ? SUITE : SUITE + ".*" + s.include())
            .forks(s.forks())
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.seconds(quick ? 1 : 2))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(quick ? 1 : 2))
            .jvmArgsAppend("-Xmx2g");
    if (s.json() != null) {
      options.resultFormat(ResultFormatType.JSON).result(s.json().toString());
    }
    Collection<RunResult> results =
        new Runner(options.build(), new ProgressOutput(System.err)).run();
    out.print(BenchTable.format(results));
    return results.size();
  }
}
