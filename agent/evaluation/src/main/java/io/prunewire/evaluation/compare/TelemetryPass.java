package io.prunewire.evaluation.compare;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.probe.HutchinsonProbe;
import io.prunewire.trainer.telemetry.TelemetrySink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The telemetry the agent would see, on a fixed checkpoint: the checkpoint trains on {@code steps}
 * further windows with learning rate 0 (so every criterion and the oracle describe the same
 * weights) while the trainer's own {@link PruningListener} reduces activations and gradients, takes
 * Hutchinson samples and weight statistics and publishes them — here into the layers' {@link
 * LayerEvidence}, merged as the agent merges them.
 *
 * <p>Pass {@code k} reads its own training windows (disjoint between passes), draws its own
 * Hutchinson vectors and dropout masks, so passes differ only by what a different seed of the same
 * run would have seen.
 */
final class TelemetryPass {

  /**
   * What one pass saw: the evidence of every prunable layer, in layer order, and how long windows
   * took.
   */
  record Telemetry(
      long seed,
      List<LayerSpec> layers,
      Map<String, LayerEvidence> evidence,
      List<Map<String, LayerEvidence>> snapshots,
      double[] windowMillis) {}

  private TelemetryPass() {}

  /**
   * Runs pass {@code k} (1-based) with seed {@code seed}.
   *
   * @param onWindow progress, called after every window
   */
  static Telemetry run(
      Path checkpoint,
      PtbCorpus full,
      CompareSettings s,
      int k,
      long seed,
      Consumer<Integer> onWindow) {
    int tokens = Checkpoints.tokens(s.telemetrySteps());
    PtbCorpus corpus = full.slice((k - 1) * tokens, tokens, 0, s.evalTokens());
    Workload workload = Workload.restore(checkpoint, corpus);
    workload.setLearningRate(0);
    Nd4j.getRandom().setSeed(seed);
    Collector sink = new Collector();
    int publishEvery = Math.max(1, s.telemetrySteps() / 4);
    List<Double> millis = new ArrayList<>();
    long[] last = {System.nanoTime()};
    try (PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(workload))
            .sink(sink)
            .runId("compare-pass-" + k)
            .trainerId("compare")
            .sampleEvery(1)
            .publishEvery(publishEvery)
            .curvatureEvery(
                Math.max(1, s.telemetrySteps() / 2),
                HutchinsonProbe.builder().probes(s.probes()).seed(seed).build())
            .probeBatch(workload.probeBatch(Split.TRAIN, 0))
            .build()
            .attach()) {
      workload.trainEpoch(
          p -> {
            long now = System.nanoTime();
            millis.add((now - last[0]) / 1e6);
            last[0] = now;
            if (p.window() % publishEvery == 0) {
              sink.snapshot();
            }
            onWindow.accept(p.window());
          });
    }
    // Closing published the last weight statistics, computed off the training thread.
    return new Telemetry(
        seed,
        sink.layers,
        sink.evidence,
        sink.snapshots,
        millis.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Merges every published summary into per-layer evidence, as the agent's evidence store does. */
  private static final class Collector implements TelemetrySink {
    private final List<LayerSpec> layers = new ArrayList<>();
    private final Map<String, LayerEvidence> evidence = new LinkedHashMap<>();
    private final List<Map<String, LayerEvidence>> snapshots = new ArrayList<>();

    @Override
    public void publish(Event event) {
      if (event instanceof RunStarted r) {
        for (LayerSpec l : r.layers()) {
          layers.add(l);
          evidence.put(l.name(), new LayerEvidence(l.name(), l.neurons()));
        }
      } else if (event instanceof ActivationSummaryEvent a) {
        layer(a.layer()).merge(a.summary());
      } else if (event instanceof GradientSummaryEvent g) {
        layer(g.layer()).merge(g.summary());
      } else if (event instanceof CurvatureEvent c) {
        layer(c.layer()).merge(c.summary());
      } else if (event instanceof WeightStatisticsEvent w) {
        layer(w.layer()).update(w.step(), w.statistics());
      }
    }

    private LayerEvidence layer(String name) {
      LayerEvidence e = evidence.get(name);
      if (e == null) {
        throw new IllegalStateException("telemetry for layer " + name + " before its RunStarted");
      }
      return e;
    }

    /**
     * The evidence so far, copied: the adaptive fusion learns from how rankings move between
     * publishes.
     */
    void snapshot() {
      Map<String, LayerEvidence> copy = new LinkedHashMap<>();
      evidence.forEach((name, e) -> copy.put(name, e.copy()));
      snapshots.add(copy);
    }

    @Override
    public Optional<DecisionEvent> awaitDecision(
        String runId, String checkpointId, Duration timeout) {
      return Optional.empty();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
