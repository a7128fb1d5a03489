package io.prunewire.evaluation.demo;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.trainer.telemetry.TelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Passes every event to the real sink and remembers what the report needs: the layers, the
 * decisions, the ablation probes, and the curvature and weight evidence from which it scores the
 * HAP baseline on the same probes.
 *
 * <p>Per-layer rankings are held out: a single ablation at checkpoint k is compared with the
 * agent's fused scores of decision k−1 (computed before that probe was measured) and with HAP
 * computed from the evidence published before it. Probes of the first checkpoint have no earlier
 * decision and are counted but not ranked.
 */
final class RecordingSink implements TelemetrySink {

  private static final Criterion HAP = Criteria.defaults().get("hap");

  private final TelemetrySink delegate;
  private final Map<String, LayerSpec> layers = new LinkedHashMap<>();
  private final Map<String, LayerEvidence> evidence = new LinkedHashMap<>();
  private final Map<String, LayerRanking> rankings = new LinkedHashMap<>();
  private final List<CheckpointEvent> checkpoints = new ArrayList<>();
  private final Map<String, DecisionEvent> decisions = new LinkedHashMap<>();
  private final Map<String, int[]> ablationCounts = new LinkedHashMap<>();
  private final Map<String, Double> waitSeconds = new LinkedHashMap<>();
  private DecisionEvent lastDecision;

  RecordingSink(TelemetrySink delegate) {
    this.delegate = delegate;
  }

  @Override
  public void publish(Event event) {
    if (event instanceof RunStarted r) {
      for (LayerSpec l : r.layers()) {
        layers.put(l.name(), l);
        evidence.put(l.name(), new LayerEvidence(l.name(), l.neurons()));
        rankings.put(l.name(), new LayerRanking());
      }
    } else if (event instanceof CurvatureEvent c) {
      evidence.get(c.layer()).merge(c.summary());
    } else if (event instanceof WeightStatisticsEvent w) {
      evidence.get(w.layer()).update(w.header().step(), w.statistics());
    } else if (event instanceof AblationEvent a) {
      record(a);
    } else if (event instanceof CheckpointEvent c) {
      checkpoints.add(c);
    }
    delegate.publish(event);
  }

  private void record(AblationEvent a) {
    int singles = 0;
    Map<String, double[]> hap = new LinkedHashMap<>();
    for (AblationEvent.Measurement m : a.measurements()) {
      if (!m.isSingle()) {
        continue;
      }
      singles++;
      AblationEvent.Removal r = m.removed().get(0);
      if (lastDecision == null) {
        continue;
      }
      LayerEvidence ev = evidence.get(r.layer());
      double[] hapScores =
          hap.computeIfAbsent(r.layer(), l -> HAP.available(ev) ? HAP.score(ev) : null);
      int neuron = r.neurons()[0];
      float fused =
          lastDecision.layers().stream()
              .filter(d -> d.layer().equals(r.layer()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "decision " + lastDecision.checkpointId() + " has no layer " + r.layer()))
              .scores()[neuron];
      rankings
          .get(r.layer())
          .add(fused, hapScores == null ? Double.NaN : hapScores[neuron], m.deltaLoss());
    }
    ablationCounts.put(a.checkpointId(), new int[] {singles, a.measurements().size() - singles});
  }

  @Override
  public Optional<DecisionEvent> awaitDecision(String runId, String checkpointId, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    Optional<DecisionEvent> d = delegate.awaitDecision(runId, checkpointId, timeout);
    waitSeconds.merge(checkpointId, (System.nanoTime() - start) / 1e9, Double::sum);
    d.ifPresent(this::decided);
    return d;
  }

  /**
   * The agent's candidates (the listener measures them, then waits on for the decision) or its
   * decision.
   */
  @Override
  public Optional<Event> awaitCandidatesOrDecision(
      String runId, String checkpointId, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    Optional<Event> first = delegate.awaitCandidatesOrDecision(runId, checkpointId, timeout);
    waitSeconds.merge(checkpointId, (System.nanoTime() - start) / 1e9, Double::sum);
    first
        .filter(DecisionEvent.class::isInstance)
        .map(DecisionEvent.class::cast)
        .ifPresent(this::decided);
    return first;
  }

  private void decided(DecisionEvent d) {
    decisions.put(d.checkpointId(), d);
    lastDecision = d;
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public void close() {
    delegate.close();
  }

  Map<String, LayerSpec> layers() {
    return layers;
  }

  List<CheckpointEvent> checkpoints() {
    return checkpoints;
  }

  Optional<DecisionEvent> decision(String checkpointId) {
    return Optional.ofNullable(decisions.get(checkpointId));
  }

  /** Seconds the trainer waited for the decision of a checkpoint (NaN if it never asked). */
  double decisionWait(String checkpointId) {
    return waitSeconds.getOrDefault(checkpointId, Double.NaN);
  }

  /** {singles, groups} measured at a checkpoint. */
  int[] ablations(String checkpointId) {
    return ablationCounts.getOrDefault(checkpointId, new int[2]);
  }

  LayerRanking ranking(String layer) {
    return rankings.get(layer);
  }
}
