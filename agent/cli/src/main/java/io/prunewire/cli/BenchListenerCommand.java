package io.prunewire.cli;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire bench listener}: training step time of the hybrid model without the {@link
 * PruningListener} and with it in each requested weight-statistics mode, in interleaved blocks,
 * written to {@code docs/BENCHMARKS.md}.
 */
@Command(
    name = "listener",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the listener's overhead: mean training step time of the HSTNN hybrid model without the"
          + " PruningListener and with it (default settings: summaries of every 10th step, published every"
          + " --publish-every steps with a weight snapshot; no curvature, no checkpoints) once per --weights"
          + " mode, in interleaved blocks whose order rotates every round, and reports the median over blocks"
          + " of each condition.",
      "Every block starts halfway through a publish window, so with --steps a multiple of --publish-every it"
          + " holds the same number of weight snapshots; a block whose statistics are computed in the"
          + " background ends when they are published, and that wait counts in its time. Run it on a quiet"
          + " machine.",
      "Example: prunewire bench listener --rounds 4 --steps 100 --weights sync,async --write docs/BENCHMARKS.md"
    })
public final class BenchListenerCommand implements Callable<Integer> {

  /** How the listener computes weight statistics in a measured condition. */
  enum Weights {
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

  /** A block that ends waiting longer than this for background statistics has measured a hang. */
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Blocks per condition (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "Training windows per block (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Untimed windows first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--weights",
      split = ",",
      defaultValue = "async",
      paramLabel = "MODE",
      description =
          "Weight statistics of the measured listener, one condition per mode: off, sync (inside the"
              + " training callback, as before they moved off the training thread) or async (the listener's"
              + " background thread); e.g. sync,async compares both against the same baseline (default: ${DEFAULT-VALUE}).")
  List<Weights> weights;

  @Option(
      names = "--publish-every",
      defaultValue = "100",
      description =
          "The listener's publish window and weight-snapshot cadence in steps (default: ${DEFAULT-VALUE}).")
  int publishEvery;

  @Option(
      names = "--embedding",
      defaultValue = "64",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(
      names = "--rnn",
      defaultValue = "64",
      description = "RNN half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int rnn;

  @Option(
      names = "--snn",
      defaultValue = "64",
      description = "Spiking half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int snn;

  @Option(
      names = "--batch",
      defaultValue = "25",
      description = "Batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--bptt",
      defaultValue = "35",
      description = "BPTT window (default: ${DEFAULT-VALUE}).")
  int bptt;

  @Option(
      names = "--write",
      paramLabel = "FILE",
      description =
          "Replace the \"Listener overhead\" section of this Markdown file (e.g. docs/BENCHMARKS.md).")
  Path write;

  @Spec CommandSpec spec;

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

  @Override
  public Integer call() throws IOException {
    if (rounds < 1 || steps < 1 || warmup < 0 || publishEvery < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--rounds, --steps and --publish-every must be >= 1 and"
              + " --warmup >= 0, got "
              + rounds
              + ", "
              + steps
              + ", "
              + publishEvery
              + " and "
              + warmup);
    }
    if (weights.stream().distinct().count() != weights.size()) {
      throw new ParameterException(
          spec.commandLine(), "--weights must name each mode at most once, got " + weights);
    }
    WorkloadConfig config =
        WorkloadConfig.builder()
            .model(ModelKind.HYBRID)
            .embedding(embedding)
            .rnn(rnn)
            .snn(snn)
            .batch(batch)
            .bptt(bptt)
            .seed(1)
            .build();
    Workload workload = Workload.create(config, PtbCorpus.load());
    MultiLayerNetwork net = workload.network();
    TokenBatches batches = workload.corpus().batches(Split.TRAIN, batch);
    int windows = batches.windowCount(bptt);
    List<TrainingListener> plain = new ArrayList<>(net.getListeners());
    // Time spent inside the listener's callbacks, counted per block: a direct measure of its cost
    // on
    // the training thread that machine-load swings between blocks do not blur.
    long[] inside = {0};
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        new Condition(
            "without listener", null, plain, GateObserver.NONE, new double[rounds], null));
    for (Weights mode : weights) {
      PruningListener listener =
          PruningListener.builder(new WorkloadNetwork(workload))
              .sink(new InMemoryTelemetrySink())
              .runId("bench")
              .publishEvery(publishEvery)
              .weightStatistics(mode != Weights.off)
              .weightStatisticsOnTrainingThread(mode == Weights.sync)
              .build()
              .attach();
      conditions.add(timed(mode.describe(), listener, plain, inside));
    }

    int[] next = {0};
    Runnable step = () -> net.fit(batches.window(next[0]++ % windows, bptt));
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    try (Progress bar =
        Progress.start("listener overhead", (long) conditions.size() * rounds * steps, " steps")) {
      for (int r = 0; r < rounds; r++) {
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
          for (int s = 0; s < steps; s++) {
            step.run();
            bar.step();
          }
          if (c.listener() != null && !c.listener().awaitWeightStatistics(DRAIN_LIMIT)) {
            throw new IllegalStateException(
                c.name() + ": weight statistics not done " + DRAIN_LIMIT + " after a block");
          }
          long elapsed = System.nanoTime() - t0;
          c.msPerStep()[r] = elapsed / 1e6 / steps;
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
    String report = report(config, conditions);
    System.out.print(report);
    if (write != null) {
      replaceSection(write, report);
      System.out.println("Wrote the \"Listener overhead\" section of " + write);
    }
    return 0;
  }

  /**
   * A condition that runs {@code listener} as DL4J calls it, adding the time inside its callbacks
   * to {@code inside}.
   */
  private Condition timed(
      String name, PruningListener listener, List<TrainingListener> plain, long[] inside) {
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

  private String report(WorkloadConfig c, List<Condition> conditions) {
    double baseline = BenchTrainerCommand.median(conditions.get(0).msPerStep());
    StringBuilder rows = new StringBuilder();
    StringBuilder replaced = new StringBuilder();
    for (Condition k : conditions) {
      double ms = BenchTrainerCommand.median(k.msPerStep());
      boolean measured = k.listener() != null;
      rows.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %s | %s | %s |%n",
              k.name(),
              ms,
              measured ? String.format(Locale.ROOT, "%+.1f %%", 100 * (ms / baseline - 1)) : "",
              measured
                  ? String.format(
                      Locale.ROOT, "%.2f %%", BenchTrainerCommand.median(k.insideShare()))
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
    String modes = String.join(",", weights.stream().map(Enum::name).toList());
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
        c.embedding(),
        c.rnn(),
        c.snn(),
        c.batch(),
        c.bptt(),
        publishEvery,
        rounds,
        steps,
        rows,
        replaced,
        rounds,
        steps,
        warmup,
        modes,
        publishEvery,
        c.embedding(),
        c.rnn(),
        c.snn(),
        c.batch(),
        c.bptt(),
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        ZonedDateTime.now(java.time.ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
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
  static void replaceSection(Path file, String section) throws IOException {
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
