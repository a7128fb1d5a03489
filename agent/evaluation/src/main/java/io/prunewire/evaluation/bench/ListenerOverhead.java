package io.prunewire.evaluation.bench;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code prunewire bench listener}: training step time of the hybrid model without the {@link
 * PruningListener} and with it in each requested weight-statistics mode, in interleaved blocks
 * whose order rotates every round, reported as the "Listener overhead" section of {@code
 * docs/BENCHMARKS.md}.
 */
public final class ListenerOverhead {

  /** How the listener computes weight statistics in a measured condition. */
  public enum Weights {
    /** No weight statistics. */
    off,
    /** Inside the training callback, where they were computed before the background thread. */
    sync,
    /** On the listener's background thread (the listener's default). */
    async;

    String describe() {
      return switch (this) {
        case off -> "with listener, no weight statistics";
        case sync -> "with listener, weight statistics inside the callback (sync)";
        case async -> "with listener, weight statistics on its background thread (async)";
      };
    }
  }

  /**
   * What to measure, as {@code prunewire bench listener}'s flags give it.
   *
   * @param rounds blocks per condition, at least 1
   * @param steps training windows per block, at least 1
   * @param warmup untimed windows first, at least 0
   * @param weights one measured condition per mode, each at most once
   * @param publishEvery the listener's publish window and weight-snapshot cadence, at least 1
   */
  public record Settings(
      int rounds,
      int steps,
      int warmup,
      List<Weights> weights,
      int publishEvery,
      int embedding,
      int rnn,
      int snn,
      int batch,
      int bptt) {
    public Settings {
      weights = List.copyOf(weights);
    }
  }

  /** A block that ends waiting longer than this for background statistics has measured a hang. */
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

  /**
   * One measured condition: the training listeners and gate observer it installs, and what it
   * measured.
   */
  private record Condition(
      String name,
      PruningListener listener,
      List<TrainingListener> listeners,
      GateObserver observer,
      double[] msPerStep,
      double[] insideShare) {}

  private ListenerOverhead() {}

  /**
   * Measures every condition, prints the report to {@code out} and, if {@code write} is not null,
   * replaces that Markdown file's "Listener overhead" section with it (or appends it).
   */
  public static void run(Settings s, Path write, PrintStream out) throws IOException {
    Workload workload =
        BenchWorkloads.create(
            ModelKind.HYBRID, s.embedding(), s.rnn(), s.snn(), s.batch(), s.bptt());
    MultiLayerNetwork net = workload.network();
    TokenBatches batches = workload.corpus().batches(Split.TRAIN, s.batch());
    int windows = batches.windowCount(s.bptt());
    List<TrainingListener> plain = new ArrayList<>(net.getListeners());
    // Time spent inside the listener's callbacks, counted per block: a direct measure of its cost
    // on the training thread that machine-load swings between blocks do not blur.
    long[] inside = {0};
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        new Condition(
            "without listener", null, plain, GateObserver.NONE, new double[s.rounds()], null));
    for (Weights mode : s.weights()) {
      PruningListener listener =
          PruningListener.builder(new WorkloadNetwork(workload))
              .sink(new InMemoryTelemetrySink())
              .runId("bench")
              .publishEvery(s.publishEvery())
              .weightStatistics(mode != Weights.off)
              .weightStatisticsOnTrainingThread(mode == Weights.sync)
              .build()
              .attach();
      conditions.add(timed(mode.describe(), listener, plain, inside, s.rounds()));
    }

    int[] next = {0};
    Runnable step = () -> net.fit(batches.window(next[0]++ % windows, s.bptt()));
    for (int i = 0; i < s.warmup(); i++) {
      step.run();
    }
    int publishEvery = s.publishEvery();
    try (Progress bar =
        Progress.start(
            "listener overhead", (long) conditions.size() * s.rounds() * s.steps(), " steps")) {
      for (int r = 0; r < s.rounds(); r++) {
        for (int k = 0; k < conditions.size(); k++) {
          // Rotate which condition goes first so drift in machine load hits all alike.
          Condition c = conditions.get((r + k) % conditions.size());
          net.setListeners(c.listeners());
          workload.setGateObserver(c.observer());
          // Start every block halfway through a publish window: its snapshot's statistics are then
          // computed while the block trains, not after it.
          while (net.getIterationCount() % publishEvery != publishEvery / 2) {
            step.run();
          }
          inside[0] = 0;
          long t0 = System.nanoTime();
          for (int i = 0; i < s.steps(); i++) {
            step.run();
            bar.step();
          }
          if (c.listener() != null && !c.listener().awaitWeightStatistics(DRAIN_LIMIT)) {
            throw new IllegalStateException(
                c.name() + ": weight statistics not done " + DRAIN_LIMIT + " after a block");
          }
          long elapsed = System.nanoTime() - t0;
          c.msPerStep()[r] = elapsed / 1e6 / s.steps();
          if (c.insideShare() != null) {
            c.insideShare()[r] = 100.0 * inside[0] / elapsed;
          }
        }
      }
    } finally {
      conditions.stream()
          .map(Condition::listener)
          .filter(Objects::nonNull)
          .forEach(PruningListener::close);
    }
    String report = report(s, conditions);
    out.print(report);
    if (write != null) {
      replaceSection(write, report);
      out.println("Wrote the \"Listener overhead\" section of " + write);
    }
  }

  /**
   * A condition that runs {@code listener} as DL4J calls it, adding the time inside its callbacks
   * to {@code inside}.
   */
  private static Condition timed(
      String name,
      PruningListener listener,
      List<TrainingListener> plain,
      long[] inside,
      int rounds) {
    GateObserver observer =
        new GateObserver() {
          @Override
          public void forward(int layerIndex, INDArray activations, boolean training) {
            long t = System.nanoTime();
            listener.forward(layerIndex, activations, training);
            inside[0] += System.nanoTime() - t;
          }

          @Override
          public void backward(
              int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {
            long t = System.nanoTime();
            listener.backward(layerIndex, activations, epsilon, gateGradient);
            inside[0] += System.nanoTime() - t;
          }
        };
    List<TrainingListener> listeners = new ArrayList<>(plain);
    listeners.add(
        new BaseTrainingListener() {
          @Override
          public void iterationDone(Model model, int iteration, int epoch) {
            long t = System.nanoTime();
            listener.iterationDone(model, iteration, epoch);
            inside[0] += System.nanoTime() - t;
          }
        });
    return new Condition(
        name, listener, listeners, observer, new double[rounds], new double[rounds]);
  }

  private static String report(Settings s, List<Condition> conditions) {
    double baseline = SideBySide.median(conditions.get(0).msPerStep());
    StringBuilder rows = new StringBuilder();
    StringBuilder replaced = new StringBuilder();
    for (Condition k : conditions) {
      double ms = SideBySide.median(k.msPerStep());
      boolean measured = k.listener() != null;
      rows.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %s | %s | %s |%n",
              k.name(),
              ms,
              measured ? String.format(Locale.ROOT, "%+.1f %%", 100 * (ms / baseline - 1)) : "",
              measured
                  ? String.format(Locale.ROOT, "%.2f %%", SideBySide.median(k.insideShare()))
                  : "",
              blocks(k.msPerStep())));
      if (measured && k.listener().weightSnapshotsReplaced() > 0) {
        replaced.append(
            String.format(
                Locale.ROOT,
                " %s: %d weight snapshots replaced before they were computed.",
                k.name(),
                k.listener().weightSnapshotsReplaced()));
      }
    }
    String modes = String.join(",", s.weights().stream().map(Enum::name).toList());
    return String.format(
        Locale.ROOT,
        """
        ## Listener overhead

        Training step time of the HSTNN hybrid model (embedding %d, %d RNN + %d SNN per layer, batch %d,
        bptt %d, full 10k vocabulary) without the `PruningListener` and with it at its defaults (summaries of
        every 10th step reduced inside the gates' backward pass), publishing every %d steps with a weight
        snapshot, once per weight-statistics mode; curvature and checkpoints off. %d rounds of interleaved
        blocks of %d steps, the order rotating every round; each block starts halfway through a publish
        window, and a block with background statistics ends when they are published (that wait counts).
        Figures are medians over blocks of the mean step time per block; "in callbacks" is the share of the
        block's wall time spent inside the listener's callbacks, i.e. the training thread's stall.

        | condition | median ms/step | overhead | in callbacks | blocks (ms/step) |
        | --- | ---: | ---: | ---: | --- |
        %s
        Target: overhead ≤ 3 %%.%s

        Command: `prunewire bench listener --rounds %d --steps %d --warmup %d --weights %s --publish-every %d --embedding %d --rnn %d --snn %d --batch %d --bptt %d`
        Machine: %s, %d cores visible to the JVM, load average %.1f when it finished; %s UTC.

        """,
        s.embedding(),
        s.rnn(),
        s.snn(),
        s.batch(),
        s.bptt(),
        s.publishEvery(),
        s.rounds(),
        s.steps(),
        rows,
        replaced,
        s.rounds(),
        s.steps(),
        s.warmup(),
        modes,
        s.publishEvery(),
        s.embedding(),
        s.rnn(),
        s.snn(),
        s.batch(),
        s.bptt(),
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
  }

  private static String blocks(double[] ms) {
    return String.join(
        ", ", Arrays.stream(ms).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  /** Replaces the "## Listener overhead" section (up to the next "## ") or appends it. */
  private static void replaceSection(Path file, String section) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int start = text.indexOf("## Listener overhead");
    if (start < 0) {
      text = text.endsWith("\n\n") ? text + section : text + "\n" + section;
    } else {
      int end = text.indexOf("\n## ", start + 1);
      text = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end + 1));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text);
  }
}
