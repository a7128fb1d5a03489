package io.prunewire.cli;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.GateObserver;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code prunewire bench-listener}: training step time of the hybrid model with and without the
 * {@link PruningListener} at its default sampling, in interleaved blocks, written to
 * {@code docs/BENCHMARKS.md}.
 */
@Command(
    name = "bench-listener",
    mixinStandardHelpOptions = true,
    description = {
        "Measures the listener's overhead: mean training step time of the HSTNN hybrid model with and"
            + " without the PruningListener (default settings: summaries every 10th step, published every"
            + " 100 steps with weight statistics; no curvature, no checkpoints) in interleaved blocks"
            + " (off, on, on, off, ...), and reports the median over blocks of each.",
        "Each block is --steps training windows; use a multiple of 100 so every block holds the same"
            + " number of sampled and publishing steps. Run it on a quiet machine.",
        "Example: prunewire bench-listener --rounds 4 --steps 100 --write docs/BENCHMARKS.md"
    })
public final class BenchListenerCommand implements Callable<Integer> {

  @Option(names = "--rounds", defaultValue = "4", description = "Blocks per condition (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--steps", defaultValue = "100", description = "Training windows per block (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed windows first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--embedding", defaultValue = "64", description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(names = "--rnn", defaultValue = "64", description = "RNN half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int rnn;

  @Option(names = "--snn", defaultValue = "64", description = "Spiking half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int snn;

  @Option(names = "--batch", defaultValue = "25", description = "Batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--bptt", defaultValue = "35", description = "BPTT window (default: ${DEFAULT-VALUE}).")
  int bptt;

  @Option(names = "--write", paramLabel = "FILE",
      description = "Replace the \"Listener overhead\" section of this Markdown file (e.g. docs/BENCHMARKS.md).")
  Path write;

  @Override
  public Integer call() throws IOException {
    if (rounds < 1 || steps < 1 || warmup < 0) {
      throw new IllegalArgumentException("--rounds and --steps must be >= 1 and --warmup >= 0");
    }
    WorkloadConfig config = WorkloadConfig.builder().model(ModelKind.HYBRID).embedding(embedding).rnn(rnn).snn(snn)
        .batch(batch).bptt(bptt).seed(1).build();
    Workload workload = Workload.create(config, PtbCorpus.load());
    MultiLayerNetwork net = workload.network();
    TokenBatches batches = workload.corpus().batches(Split.TRAIN, batch);
    int windows = batches.windowCount(bptt);
    List<TrainingListener> plain = new ArrayList<>(net.getListeners());
    PruningListener listener = PruningListener.builder(workload).sink(new InMemoryTelemetrySink()).runId("bench")
        .build().attach();
    // The listener as DL4J calls it, with the time spent inside its callbacks counted: a direct
    // measure of its cost that machine-load swings between blocks do not blur.
    long[] inside = {0};
    GateObserver timedObserver = new GateObserver() {
      @Override
      public void forward(int layerIndex, INDArray activations, boolean training) {
        long t = System.nanoTime();
        listener.forward(layerIndex, activations, training);
        inside[0] += System.nanoTime() - t;
      }

      @Override
      public void backward(int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {
        long t = System.nanoTime();
        listener.backward(layerIndex, activations, epsilon, gateGradient);
        inside[0] += System.nanoTime() - t;
      }
    };
    List<TrainingListener> instrumented = new ArrayList<>(plain);
    instrumented.add(new BaseTrainingListener() {
      @Override
      public void iterationDone(Model model, int iteration, int epoch) {
        long t = System.nanoTime();
        listener.iterationDone(model, iteration, epoch);
        inside[0] += System.nanoTime() - t;
      }
    });

    int[] next = {0};
    Runnable step = () -> net.fit(batches.window(next[0]++ % windows, bptt));
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    double[] off = new double[rounds];
    double[] on = new double[rounds];
    double[] insideShare = new double[rounds];
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("listener overhead").setInitialMax(2L * rounds * steps)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
      for (int r = 0; r < rounds; r++) {
        // Alternate which condition goes first so drift in machine load hits both alike.
        boolean onFirst = r % 2 == 1;
        for (int half = 0; half < 2; half++) {
          boolean withListener = (half == 0) == onFirst;
          net.setListeners(withListener ? instrumented : plain);
          workload.setGateObserver(withListener ? timedObserver : GateObserver.NONE);
          // Start every block at the same phase of the sampling and publishing cycle.
          while (net.getIterationCount() % 100 != 0) {
            step.run();
          }
          inside[0] = 0;
          long t0 = System.nanoTime();
          for (int s = 0; s < steps; s++) {
            step.run();
            bar.step();
          }
          long elapsed = System.nanoTime() - t0;
          (withListener ? on : off)[r] = elapsed / 1e6 / steps;
          if (withListener) {
            insideShare[r] = 100.0 * inside[0] / elapsed;
          }
        }
      }
    }
    double medianOff = median(off);
    double medianOn = median(on);
    double overhead = 100 * (medianOn / medianOff - 1);
    String report = report(config, medianOff, medianOn, overhead, off, on, median(insideShare));
    System.out.print(report);
    if (write != null) {
      replaceSection(write, report);
      System.out.println("Wrote the \"Listener overhead\" section of " + write);
    }
    return 0;
  }

  private String report(WorkloadConfig c, double medianOff, double medianOn, double overhead, double[] off, double[] on,
      double insideShare) {
    String cpu = cpuModel();
    return String.format(Locale.ROOT, """
        ## Listener overhead

        Training step time of the HSTNN hybrid model (embedding %d, %d RNN + %d SNN per layer, batch %d,
        bptt %d, full 10k vocabulary) with and without the `PruningListener` at its defaults (summaries of
        every 10th step reduced inside the gates' backward pass, published with weight statistics every 100
        steps; curvature and checkpoints off). %d interleaved blocks of %d steps per condition; the
        figure is the median over blocks of the mean step time per block.

        | condition | median ms/step | blocks (ms/step) |
        | --- | ---: | --- |
        | without listener | %.1f | %s |
        | with listener | %.1f | %s |

        **Overhead: %+.1f %%** (target ≤ 3 %%) from the step times; time spent inside the listener's
        callbacks: **%.2f %%** of the instrumented blocks' wall time (median over blocks).

        Command: `prunewire bench-listener --rounds %d --steps %d --warmup %d --embedding %d --rnn %d --snn %d --batch %d --bptt %d`
        Machine: %s, %d cores visible to the JVM, load average %.1f when it finished; %s UTC.

        """, c.embedding(), c.rnn(), c.snn(), c.batch(), c.bptt(), rounds, steps, medianOff, blocks(off), medianOn,
        blocks(on), overhead, insideShare, rounds, steps, warmup, c.embedding(), c.rnn(), c.snn(), c.batch(), c.bptt(), cpu,
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        ZonedDateTime.now(java.time.ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
  }

  private static String blocks(double[] ms) {
    return String.join(", ", Arrays.stream(ms).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
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
