package io.prunewire.evaluation.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes: Java Flight Recorder samples of the training thread (Java and
 * native frames, every 10 ms), each attributed to the part of the network whose code is nearest the
 * top of its stack. A sampling profile: shares are of samples, and a part with few samples is
 * imprecise.
 */
public final class StepProfile implements AutoCloseable {
  /**
   * A part of the training step and the classes whose frames belong to it, nearest the top wins.
   */
  private record Part(String name, List<String> classPrefixes) {}

  private static final List<Part> PARTS =
      List.of(
          new Part(
              "hybrid layers (LIF + sigmoid RNN, forward and backward)",
              List.of(
                  "io.prunewire.trainer.model.HybridLayerInstance",
                  "io.prunewire.trainer.model.LifNeurons",
                  "io.prunewire.trainer.model.SigmoidRecurrence")),
          new Part("LSTM layers", List.of("org.deeplearning4j.nn.layers.recurrent.LSTM")),
          new Part(
              "decoder (10k-word softmax, loss, gradients)",
              List.of(
                  "io.prunewire.trainer.model.SoftmaxDecoderInstance",
                      "org.deeplearning4j.nn.layers.BaseOutputLayer",
                  "org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer",
                      "org.nd4j.linalg.lossfunctions")),
          new Part(
              "gates (instrumentation between layers)",
              List.of("io.prunewire.trainer.gate.GateLayerInstance")),
          new Part("embedding", List.of("org.deeplearning4j.nn.layers.feedforward.embedding")),
          new Part(
              "optimizer (per-token scaling, clipping, momentum SGD)",
              List.of(
                  "io.prunewire.trainer.model.MomentumSgd",
                      "io.prunewire.trainer.model.GlobalNormClipping",
                  "io.prunewire.trainer.model.PerTokenGradient", "org.deeplearning4j.nn.updater")),
          new Part("pruning listener", List.of("io.prunewire.trainer.listener")),
          new Part("dropout", List.of("org.deeplearning4j.nn.conf.dropout")));
  private static final String OTHER = "other (DL4J bookkeeping, data windows)";

  private final Recording recording = new Recording();
  private final Thread thread;

  private StepProfile(Thread thread) {
    this.thread = thread;
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
    recording.start();
  }

  /** Starts sampling; only samples of the calling thread are attributed. */
  public static StepProfile start() {
    return new StepProfile(Thread.currentThread());
  }

  /**
   * Stops sampling and returns the share of samples (%) per part, largest first, and the sample
   * count.
   */
  public Map<String, Double> stop() {
    recording.stop();
    Path file = null;
    try {
      file = Files.createTempFile("prunewire-profile", ".jfr");
      recording.dump(file);
      Map<String, Integer> counts = new LinkedHashMap<>();
      int total = 0;
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        if (e.getStackTrace() == null
            || e.getThread("sampledThread") == null
            || e.getThread("sampledThread").getJavaThreadId() != thread.getId()) {
          continue;
        }
        counts.merge(part(e.getStackTrace().getFrames()), 1, Integer::sum);
        total++;
      }
      Map<String, Double> shares = new LinkedHashMap<>();
      int samples = total;
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .forEach(c -> shares.put(c.getKey(), 100.0 * c.getValue() / samples));
      shares.put("samples", (double) total);
      return shares;
    } catch (IOException e) {
      throw new UncheckedIOException("profile: cannot read the flight recording", e);
    } finally {
      recording.close();
      if (file != null) {
        file.toFile().delete();
      }
    }
  }

  @Override
  public void close() {
    recording.close();
  }

  private static String part(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      for (Part p : PARTS) {
        for (String prefix : p.classPrefixes()) {
          if (type.startsWith(prefix)) {
            return p.name();
          }
        }
      }
    }
    return OTHER;
  }

  /** Profiles of several windows as one: shares weighted by each window's samples. */
  public static Map<String, Double> merge(List<Map<String, Double>> profiles) {
    Map<String, Double> counts = new LinkedHashMap<>();
    double total = 0;
    for (Map<String, Double> p : profiles) {
      double n = p.get("samples");
      total += n;
      p.forEach(
          (part, share) -> {
            if (!part.equals("samples")) {
              counts.merge(part, share * n / 100, Double::sum);
            }
          });
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    double all = total;
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(c -> shares.put(c.getKey(), all == 0 ? 0 : 100 * c.getValue() / all));
    shares.put("samples", total);
    return shares;
  }

  /** The profile as Markdown rows {@code | part | share |}. */
  public static String table(Map<String, Double> shares) {
    StringBuilder b =
        new StringBuilder("| part of the training step | share of samples |\n| --- | ---: |\n");
    shares.forEach(
        (part, share) -> {
          if (!part.equals("samples")) {
            b.append(String.format(Locale.ROOT, "| %s | %.0f %% |%n", part, share));
          }
        });
    return b.append(
            String.format(
                Locale.ROOT, "%n%.0f samples of the training thread.%n", shares.get("samples")))
        .toString();
  }
}
