package io.prunewire.service;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.WeightStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for a DL4J trainer of a small hybrid layer: an SNN half and an RNN half
 * whose neurons have a planted importance {@code (i % 7) + 1}; every event is a function of (run,
 * trainer, step) so two runs of a script produce identical bytes.
 */
final class SimulatedTrainer {

  static final int FAN_IN = 6;
  static final int FAN_OUT = 5;

  final String runId;
  final String trainerId;
  final int fleetSize;
  final List<LayerSpec> layers;

  SimulatedTrainer(String runId, String trainerId, int fleetSize, int neuronsPerHalf) {
    this.runId = runId;
    this.trainerId = trainerId;
    this.fleetSize = fleetSize;
    this.layers =
        List.of(
            new LayerSpec("h1.snn", LayerKind.SNN, neuronsPerHalf, FAN_IN, ""),
            new LayerSpec("h1.rnn", LayerKind.RNN, neuronsPerHalf, FAN_IN, ""));
  }

  Header header(long step) {
    return new Header(runId, trainerId, step, 1_700_000_000_000L + step);
  }

  RunStarted started() {
    return new RunStarted(header(0), fleetSize, layers);
  }

  static double importance(int neuron) {
    return (neuron % 7) + 1;
  }

  /** Activation, gradient, curvature and weight statistics of every layer at {@code step}. */
  List<Event> summaries(long step) {
    SplittableRandom rnd = new SplittableRandom((runId + trainerId + step).hashCode());
    List<Event> events = new ArrayList<>();
    for (LayerSpec l : layers) {
      int n = l.neurons();
      int rows = 20;
      float[] act = new float[rows * n];
      float[] grad = new float[rows * n];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++) {
          double imp = importance(i);
          act[r * n + i] =
              l.kind() == LayerKind.SNN
                  ? (rnd.nextDouble() < imp / 10 ? 1f : 0f)
                  : (float) (imp / 8 * rnd.nextDouble());
          grad[r * n + i] = (float) (imp * 1e-3 * (rnd.nextDouble() - 0.3));
        }
      }
      ActivationSummary a =
          ActivationSummary.empty(n, ActivationSummary.Spec.DEFAULT.withAnchors(4, 1));
      a.addRows(act);
      GradientSummary g = GradientSummary.empty(n);
      g.addRows(grad);
      double[] gate = new double[n];
      double[] vhv = new double[n];
      for (int i = 0; i < n; i++) {
        gate[i] = importance(i) * 1e-2 * (1 + 0.1 * rnd.nextDouble());
        vhv[i] = importance(i) * (0.5 + rnd.nextDouble());
      }
      g.addGate(gate);
      CurvatureSummary c = CurvatureSummary.empty(n);
      c.addProbe(vhv);
      float[] in = new float[FAN_IN * n];
      for (int k = 0; k < in.length; k++) {
        in[k] = (float) (importance(k % n) * 0.1 * (rnd.nextDouble() - 0.5));
      }
      float[] out = new float[n * FAN_OUT];
      for (int k = 0; k < out.length; k++) {
        out[k] = (float) (importance(k / FAN_OUT) * 0.1 * (rnd.nextDouble() - 0.5));
      }
      WeightStatistics w = WeightStatistics.of(in, FAN_IN, n, out, FAN_OUT);
      events.add(new ActivationSummaryEvent(header(step), l.name(), 10, a));
      events.add(new GradientSummaryEvent(header(step), l.name(), 10, g));
      events.add(new CurvatureEvent(header(step), l.name(), 1, c));
      events.add(new WeightStatisticsEvent(header(step), l.name(), 1, w));
    }
    return events;
  }

  /**
   * Single and pair ablations of the RNN half with loss changes equal to the planted importance
   * (times 1e-3), enough for the learned fusion to hold some out.
   */
  AblationEvent ablations(long step, String checkpointId) {
    List<AblationEvent.Measurement> ms = new ArrayList<>();
    LayerSpec l = layers.get(1);
    for (int i = 0; i < l.neurons(); i++) {
      ms.add(
          new AblationEvent.Measurement(
              List.of(new AblationEvent.Removal(l.name(), new int[] {i})), importance(i) * 1e-3));
      int j = (i + 3) % l.neurons();
      ms.add(
          new AblationEvent.Measurement(
              List.of(
                  new AblationEvent.Removal(l.name(), new int[] {Math.min(i, j), Math.max(i, j)})),
              (importance(i) + importance(j)) * 1e-3));
    }
    return new AblationEvent(header(step), checkpointId, ms);
  }

  CheckpointEvent checkpoint(long step, String checkpointId, int plannedRemovals) {
    return new CheckpointEvent(header(step), checkpointId, plannedRemovals);
  }

  /**
   * A run's start up to its first checkpoint {@code c1} at step 20 asking for 6 removals: the
   * opening the secured-cluster tests send before they look at the first decision.
   */
  List<Event> untilFirstCheckpoint() {
    return toFirstCheckpoint(this);
  }

  /**
   * A run's start to its first checkpoint {@code c1} at step 20: every trainer joins, then each
   * sends its summaries of step 10, its ablations and its checkpoint (6 planned removals).
   */
  static List<Event> toFirstCheckpoint(SimulatedTrainer... trainers) {
    List<Event> events = new ArrayList<>();
    for (SimulatedTrainer t : trainers) {
      events.add(t.started());
    }
    for (SimulatedTrainer t : trainers) {
      events.addAll(t.summaries(10));
      events.add(t.ablations(20, "c1"));
      events.add(t.checkpoint(20, "c1", 6));
    }
    return events;
  }
}
