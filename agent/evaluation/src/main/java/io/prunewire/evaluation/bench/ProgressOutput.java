package io.prunewire.evaluation.bench;

import io.prunewire.evaluation.progress.Progress;
import java.io.PrintStream;
import java.util.Collection;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH output shown as one progress bar per benchmark (a tick per warm-up or measurement iteration)
 * instead of JMH's per-iteration log; JMH's other messages (errors, warnings) go to {@code
 * messages}.
 */
public final class ProgressOutput implements OutputFormat {

  private final PrintStream messages;
  private Progress bar;

  public ProgressOutput(PrintStream messages) {
    this.messages = messages;
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    long iterations =
        (long) (params.getWarmup().getCount() + params.getMeasurement().getCount())
            * Math.max(1, params.getForks());
    bar = Progress.start(BenchTable.label(params), iterations, " iterations");
  }

  @Override
  public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {}

  @Override
  public void iterationResult(
      BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public void endBenchmark(BenchmarkResult result) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void startRun() {}

  @Override
  public void endRun(Collection<RunResult> result) {}

  @Override
  public void print(String s) {
    messages.print(s);
  }

  @Override
  public void println(String s) {
    messages.println(s);
  }

  @Override
  public void flush() {
    messages.flush();
  }

  @Override
  public void close() {
    flush();
  }

  @Override
  public void verbosePrintln(String s) {}

  @Override
  public void write(int b) {
    messages.write(b);
  }

  @Override
  public void write(byte[] b) {
    messages.write(b, 0, b.length);
  }
}
