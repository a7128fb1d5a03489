package io.prunewire.evaluation.bench;

import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.TokenBatches;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * {@code prunewire bench trainer}: training throughput in tokens/s of the PTB models, real training
 * steps (forward, backward, clipping, momentum SGD) on consecutive PTB windows, optionally in
 * windows alternating with the {@link PruningListener} attached and with a {@link StepProfile} of
 * the bare windows.
 */
public final class TrainerThroughput {

  /**
   * What to measure, as {@code prunewire bench trainer}'s flags give it.
   *
   * @param snn spiking half per hybrid layer; ignored by {@link ModelKind#LSTM}
   * @param seconds length of one measurement window, > 0
   * @param windows measurement windows per condition, at least 1
   * @param warmup untimed training first in seconds, at least 0
   * @param withListener also measure with the listener attached, windows alternating
   * @param profile sample the training thread during the bare windows
   */
  public record Settings(
      ModelKind model,
      int embedding,
      int rnn,
      int snn,
      int batch,
      int bptt,
      double seconds,
      int windows,
      double warmup,
      boolean withListener,
      boolean profile) {}

  /** A measured condition: what DL4J calls during training and what it measured. */
  private record Condition(
      String name,
      List<TrainingListener> listeners,
      GateObserver observer,
      double[] tokensPerSecond) {}

  private TrainerThroughput() {}

  /**
   * Measures and prints one line per window, then the medians (and the profile); the last line is
   * exactly {@code tokens/s <median without listener>}.
   */
  public static void run(Settings s, PrintStream out) {
    ModelKind model = s.model();
    Workload workload =
        BenchWorkloads.create(model, s.embedding(), s.rnn(), s.snn(), s.batch(), s.bptt());
    MultiLayerNetwork net = workload.network();
    TokenBatches batches = workload.corpus().batches(Split.TRAIN, s.batch());
    int windowCount = batches.windowCount(s.bptt());
    long tokensPerStep = (long) s.batch() * s.bptt();

    List<TrainingListener> plain = new ArrayList<>(net.getListeners());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        new Condition("without listener", plain, GateObserver.NONE, new double[s.windows()]));
    PruningListener listener = null;
    if (s.withListener()) {
      listener =
          PruningListener.builder(new WorkloadNetwork(workload))
              .sink(new InMemoryTelemetrySink())
              .runId("bench")
              .build()
              // attach() as a user would: the listener then reads the gates of the hybrid layers
              // instead of running its own extra forward and backward pass to see them.
              .attach();
      List<TrainingListener> with = new ArrayList<>(net.getListeners());
      conditions.add(new Condition("with listener", with, listener, new double[s.windows()]));
    }
    out.printf(
        Locale.ROOT,
        "%s model: embedding %d, %s, batch %d, bptt %d, %d parameters%n",
        model,
        s.embedding(),
        model == ModelKind.LSTM
            ? "LSTM " + s.rnn()
            : s.rnn() + " RNN + " + s.snn() + " SNN per layer",
        s.batch(),
        s.bptt(),
        net.numParams());
    List<Map<String, Double>> samples = new ArrayList<>();
    int[] next = {0};
    Runnable step = () -> net.fit(batches.window(next[0]++ % windowCount, s.bptt()));
    try {
      long warmupEnd = System.nanoTime() + (long) (s.warmup() * 1e9);
      do {
        for (Condition c : conditions) {
          install(workload, c);
          step.run();
        }
      } while (System.nanoTime() < warmupEnd);
      for (int w = 0; w < s.windows(); w++) {
        for (int k = 0; k < conditions.size(); k++) {
          // Rotate which condition goes first so a drift in machine load hits both alike.
          Condition c = conditions.get((w + k) % conditions.size());
          install(workload, c);
          StepProfile sampling = s.profile() && c == conditions.get(0) ? StepProfile.start() : null;
          long t0 = System.nanoTime();
          long end = t0 + (long) (s.seconds() * 1e9);
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
          out.printf(
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
    double bare = SideBySide.median(conditions.get(0).tokensPerSecond());
    for (Condition c : conditions) {
      double m = SideBySide.median(c.tokensPerSecond());
      out.printf(
          Locale.ROOT,
          "median %s: %.1f tokens/s%s%n",
          c.name(),
          m,
          c == conditions.get(0)
              ? ""
              : String.format(
                  Locale.ROOT, " (listener overhead %+.1f %% of step time)", 100 * (bare / m - 1)));
    }
    if (s.profile()) {
      out.print(StepProfile.table(StepProfile.merge(samples)));
    }
    out.printf(Locale.ROOT, "tokens/s %.1f%n", bare);
  }

  private static void install(Workload workload, Condition c) {
    workload.network().setListeners(c.listeners());
    workload.setGateObserver(c.observer());
  }
}
