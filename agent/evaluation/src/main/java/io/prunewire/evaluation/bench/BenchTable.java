package io.prunewire.evaluation.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Median of the measurement iterations of each benchmark (and of each secondary counter), as a
 * plain-text table: medians resist the noise of a shared machine better than means.
 */
public final class BenchTable {

  private BenchTable() {}

  /** {@code method [param=value, ...]}. */
  public static String label(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    List<String> values = new ArrayList<>();
    for (String key : params.getParamsKeys()) {
      values.add(key + "=" + params.getParam(key));
    }
    return values.isEmpty() ? name : name + " " + values;
  }

  /** One line per benchmark and per secondary result: label, median, min, max, unit, samples. */
  public static String format(Collection<RunResult> results) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "%-50s %14s %14s %14s  %s%n",
                "benchmark", "median", "min", "max", "unit (n iterations)"));
    for (RunResult run : results) {
      String label = label(run.getParams());
      for (BenchmarkResult b : run.getBenchmarkResults()) {
        out.append(row(label, b.getIterationResults(), null));
        for (String secondary : b.getSecondaryResults().keySet()) {
          out.append(row(label + " :" + secondary, b.getIterationResults(), secondary));
        }
      }
    }
    return out.toString();
  }

  private static String row(
      String label, Collection<IterationResult> iterations, String secondary) {
    double[] scores = new double[iterations.size()];
    String unit = "";
    int k = 0;
    for (IterationResult it : iterations) {
      Result<?> r =
          secondary == null
              ? it.getPrimaryResult()
              : secondaryOf(it.getSecondaryResults(), secondary);
      scores[k++] = r.getScore();
      unit = r.getScoreUnit();
    }
    Arrays.sort(scores);
    return String.format(
        "%-50s %14.4g %14.4g %14.4g  %s (%d)%n",
        label, median(scores), scores[0], scores[scores.length - 1], unit, scores.length);
  }

  private static Result<?> secondaryOf(Map<String, Result> results, String name) {
    return results.get(name);
  }

  /** Median of sorted values (mean of the middle two for an even count). */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
