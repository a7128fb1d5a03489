package io.prunewire.cli;

import io.prunewire.evaluation.bench.StepProfile;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire bench trainer}: training throughput in tokens/s of the PTB models, real training
 * steps (forward, backward, clipping, momentum SGD) on consecutive PTB windows.
 */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = {
      "Measures training throughput in tokens/s (batch × bptt tokens per step) of the hybrid RNN/SNN or the"
          + " LSTM language model: real training steps on consecutive Penn Treebank windows, full 10k softmax,"
          + " float32. After --warmup seconds it runs --windows measurement windows of --seconds each; with"
          + " --listener the windows alternate between the bare network and the network with the"
          + " PruningListener attached (default settings, in-memory sink), so both see the same machine load.",
      "Prints one line per window, then the medians; the last line is exactly `tokens/s <median without"
          + " listener>`. bench/pytorch/hybrid_lm.py measures the same model in PyTorch and prints the same"
          + " last line; bench/trainer-vs-pytorch.sh runs both interleaved (docs/BENCHMARKS.md).",
      "Example: prunewire bench trainer --embedding 128 --rnn 128 --snn 128 --seconds 20 --windows 5 --listener"
    })
public final class BenchTrainerCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      defaultValue = "hybrid",
      description = "hybrid or lstm (default: ${DEFAULT-VALUE}).")
  ModelKind model;

  @Option(
      names = "--embedding",
      defaultValue = "128",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(
      names = "--rnn",
      defaultValue = "128",
      description = "RNN half per hybrid layer, or the LSTM width (default: ${DEFAULT-VALUE}).")
  int rnn;

  @Option(
      names = "--snn",
      defaultValue = "128",
      description = "Spiking half per hybrid layer; ignored by lstm (default: ${DEFAULT-VALUE}).")
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
      names = "--seconds",
      defaultValue = "15",
      description = "Length of one measurement window in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--windows",
      defaultValue = "5",
      description = "Measurement windows per condition (default: ${DEFAULT-VALUE}).")
  int windows;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Untimed training first, in seconds (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--listener",
      description = "Also measure with the PruningListener attached, windows alternating.")
  boolean withListener;

  @Option(
      names = "--profile",
      description =
          "Sample the training thread during the bare windows (Java Flight"
              + " Recorder) and print which part of the network the step time goes to.")
  boolean profile;

  @Spec CommandSpec spec;

  /** A measured condition: what DL4J calls during training and what it measured. */
  private record Condition(
      String name,
      List<TrainingListener> listeners,
      GateObserver observer,
      double[] tokensPerSecond) {}

  @Override
  public Integer call() {
    if (seconds <= 0 || windows < 1 || warmup < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds must be > 0, --windows >= 1 and --warmup >= 0, got "
              + seconds
              + ", "
              + windows
              + " and "
              + warmup);
    }
    WorkloadConfig config =
        WorkloadConfig.builder()
            .model(model)
            .embedding(embedding)
            .rnn(rnn)
            .snn(model == ModelKind.LSTM ? 0 : snn)
            .batch(batch)
            .bptt(bptt)
            .seed(1)
            .build();
    Workload workload = Workload.create(config, PtbCorpus.load());
    MultiLayerNetwork net = workload.network();
    TokenBatches batches = workload.corpus().batches(Split.TRAIN, batch);
    int windowCount = batches.windowCount(bptt);
    long tokensPerStep = (long) batch * bptt;

    List<TrainingListener> plain = new ArrayList<>(net.getListeners());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        new Condition("without listener", plain, GateObserver.NONE, new double[windows]));
    PruningListener listener = null;
    if (withListener) {
      listener =
          PruningListener.builder(new WorkloadNetwork(workload))
              .sink(new InMemoryTelemetrySink())
              .runId("bench")
              .build()
              // attach() as a user would: the listener then reads the gates of the hybrid layers
              // instead of running its own extra forward and backward pass to see them.
              .attach();
      List<TrainingListener> with = new ArrayList<>(net.getListeners());
      conditions.add(new Condition("with listener", with, listener, new double[windows]));
    }
    System.out.printf(
        Locale.ROOT,
        "%s model: embedding %d, %s, batch %d, bptt %d, %d parameters%n",
        model,
        embedding,
        model == ModelKind.LSTM ? "LSTM " + rnn : rnn + " RNN + " + snn + " SNN per layer",
        batch,
        bptt,
        net.numParams());
    List<Map<String, Double>> samples = new ArrayList<>();
    int[] next = {0};
    Runnable step = () -> net.fit(batches.window(next[0]++ % windowCount, bptt));
    try {
      long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
      do {
        for (Condition c : conditions) {
          install(workload, c);
          step.run();
        }
      } while (System.nanoTime() < warmupEnd);
      for (int w = 0; w < windows; w++) {
        for (int k = 0; k < conditions.size(); k++) {
          // Rotate which condition goes first so a drift in machine load hits both alike.
          Condition c = conditions.get((w + k) % conditions.size());
          install(workload, c);
          StepProfile sampling = profile && c == conditions.get(0) ? StepProfile.start() : null;
          long t0 = System.nanoTime();
          long end = t0 + (long) (seconds * 1e9);
          int steps = 0;
          do {
            step.run();
            steps++;
          } while (System.nanoTime() < end);
          double rate = steps * tokensPerStep / ((System.nanoTime() - t0) / 1e9);
          if (sampling != null) {
            samples.add(sampling.stop());
          }
          c.tokensPerSecond()[w] = rate;
          System.out.printf(
              Locale.ROOT,
              "window %d, %s: %d steps, %.1f tokens/s%n",
              w + 1,
              c.name(),
              steps,
              rate);
        }
      }
    } finally {
      if (listener != null) {
        listener.close();
      }
    }
    double bare = median(conditions.get(0).tokensPerSecond());
    for (Condition c : conditions) {
      double m = median(c.tokensPerSecond());
      System.out.printf(
          Locale.ROOT,
          "median %s: %.1f tokens/s%s%n",
          c.name(),
          m,
          c == conditions.get(0)
              ? ""
              : String.format(
                  Locale.ROOT, " (listener overhead %+.1f %% of step time)", 100 * (bare / m - 1)));
    }
    if (profile) {
      System.out.print(StepProfile.table(StepProfile.merge(samples)));
    }
    System.out.printf(Locale.ROOT, "tokens/s %.1f%n", bare);
    return 0;
  }

  private static void install(Workload workload, Condition c) {
    workload.network().setListeners(c.listeners());
    workload.setGateObserver(c.observer());
  }

  /** The median of {@code xs} (the mean of the middle two for an even count). */
  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
