package io.prunewire.service.bench;

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
 * A simulated trainer for the throughput benchmark: one spiking and one analog layer of the given
 * width, whose per-layer summaries (activation over 35×25 rows, gradient with a gate sample, one
 * Hutchinson probe, weight statistics) are built once from seeded random data and re-stamped with
 * each step's header, so the benchmark measures the agent rather than the simulator.
 */
public final class SyntheticTrainer {

  private static final int ROWS = 35 * 25;
  private static final int FAN_IN = 64;
  private static final int FAN_OUT = 32;

  private final String runId;
  private final String trainerId;
  private final int fleetSize;
  private final List<LayerSpec> layers;
  private final List<Parts> parts = new ArrayList<>();

  private record Parts(
      ActivationSummary activation,
      GradientSummary gradient,
      CurvatureSummary curvature,
      WeightStatistics weights) {}

  /**
   * @param neurons neurons per layer (the benchmark uses 1,300: two layers make 2,600)
   */
  public SyntheticTrainer(String runId, String trainerId, int fleetSize, int neurons, long seed) {
    this.runId = runId;
    this.trainerId = trainerId;
    this.fleetSize = fleetSize;
    this.layers =
        List.of(
            new LayerSpec("hybrid.snn", LayerKind.SNN, neurons, FAN_IN, ""),
            new LayerSpec("hybrid.rnn", LayerKind.RNN, neurons, FAN_IN, ""));
    SplittableRandom rnd = new SplittableRandom(seed);
    for (LayerSpec l : layers) {
      float[] act = new float[ROWS * neurons];
      float[] grad = new float[ROWS * neurons];
      for (int k = 0; k < act.length; k++) {
        act[k] =
            l.kind() == LayerKind.SNN
                ? (rnd.nextDouble() < 0.2 ? 1f : 0f)
                : (float) rnd.nextDouble();
        grad[k] = (float) (1e-3 * rnd.nextGaussian());
      }
      ActivationSummary a = ActivationSummary.empty(neurons, ActivationSummary.Spec.DEFAULT);
      a.addRows(act);
      GradientSummary g = GradientSummary.empty(neurons);
      g.addRows(grad);
      double[] z = new double[neurons];
      double[] vhv = new double[neurons];
      for (int i = 0; i < neurons; i++) {
        z[i] = 1e-2 * rnd.nextGaussian();
        vhv[i] = rnd.nextDouble();
      }
      g.addGate(z);
      CurvatureSummary c = CurvatureSummary.empty(neurons);
      c.addProbe(vhv);
      float[] in = new float[FAN_IN * neurons];
      float[] out = new float[neurons * FAN_OUT];
      for (int k = 0; k < in.length; k++) {
        in[k] = (float) (0.1 * rnd.nextGaussian());
      }
      for (int k = 0; k < out.length; k++) {
        out[k] = (float) (0.1 * rnd.nextGaussian());
      }
      parts.add(new Parts(a, g, c, WeightStatistics.of(in, FAN_IN, neurons, out, FAN_OUT)));
    }
  }

  public String runId() {
    return runId;
  }

  public String trainerId() {
    return trainerId;
  }

  /** Neurons of all layers. */
  public int neurons() {
    return layers.stream().mapToInt(LayerSpec::neurons).sum();
  }

  private Header header(long step) {
    return new Header(runId, trainerId, step, System.currentTimeMillis());
  }

  public RunStarted started() {
    return new RunStarted(header(0), fleetSize, layers);
  }

  /** Events of one {@link #summaries} call. */
  public int summaryCount() {
    return 4 * layers.size();
  }

  /** The four summaries of every layer at {@code step} (8 events for two layers). */
  public List<Event> summaries(long step) {
    List<Event> events = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      String name = layers.get(l).name();
      Parts p = parts.get(l);
      events.add(new ActivationSummaryEvent(header(step), name, 1, p.activation()));
      events.add(new GradientSummaryEvent(header(step), name, 1, p.gradient()));
      events.add(new CurvatureEvent(header(step), name, 1, p.curvature()));
      events.add(new WeightStatisticsEvent(header(step), name, 1, p.weights()));
    }
    return events;
  }

  public CheckpointEvent checkpoint(long step, String checkpointId, int plannedRemovals) {
    return new CheckpointEvent(header(step), checkpointId, plannedRemovals);
  }
}
