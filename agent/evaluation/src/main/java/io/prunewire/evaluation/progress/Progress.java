package io.prunewire.evaluation.progress;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task: a redrawn bar on a terminal, and plain lines (one every {@value
 * #LINE_PERCENT} % and one at the end) when the output is a log or a pipe, where the bar's
 * carriage-return frames would pile up. Writes to standard error.
 */
public final class Progress implements AutoCloseable {
  /** Percent of the task between two plain lines. */
  static final int LINE_PERCENT = 5;

  private final String task;
  private final long max;
  private final String unit;
  private final ProgressBar bar;
  private final PrintStream lines;
  private final long started = System.nanoTime();
  private long current;
  private int lastLinePercent = -1;
  private String extra = "";

  private Progress(String task, long max, String unit, ProgressBar bar, PrintStream lines) {
    this.task = task;
    this.max = max;
    this.unit = unit;
    this.bar = bar;
    this.lines = lines;
  }

  /**
   * A bar on a terminal, plain lines otherwise. {@code unit} is printed after counts, e.g. {@code "
   * steps"}.
   */
  public static Progress start(String task, long max, String unit) {
    return System.console() != null
        ? bar(task, max, unit, System.err)
        : lines(task, max, unit, System.err);
  }

  /** Always a redrawn bar on {@code out}. */
  static Progress bar(String task, long max, String unit, PrintStream out) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setStyle(ProgressBarStyle.ASCII)
            .setInitialMax(max)
            .setUnit(unit, 1)
            .setMaxRenderedLength(140)
            .continuousUpdate()
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .build();
    return new Progress(task, max, unit, bar, null);
  }

  /** Always plain lines on {@code out}. */
  public static Progress lines(String task, long max, String unit, PrintStream out) {
    return new Progress(task, max, unit, null, out);
  }

  public void step() {
    stepTo(current + 1);
  }

  public void stepTo(long n) {
    current = n;
    if (bar != null) {
      bar.stepTo(n);
      return;
    }
    int percent = max <= 0 ? 100 : (int) Math.min(100, 100 * n / max);
    if (percent / LINE_PERCENT > lastLinePercent / LINE_PERCENT && percent < 100) {
      lastLinePercent = percent;
      line();
    }
  }

  /** Text shown after the counts, e.g. the current loss. */
  public void setExtraMessage(String message) {
    extra = message;
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    } else {
      lastLinePercent = 100;
      line();
    }
  }

  private void line() {
    double seconds = (System.nanoTime() - started) / 1e9;
    lines.printf(
        Locale.ROOT,
        "%s: %3d %% (%d/%d%s) %.0f s%s%n",
        task,
        max <= 0 ? 100 : (int) (100 * current / max),
        current,
        max,
        unit,
        seconds,
        extra);
    lines.flush();
  }
}
