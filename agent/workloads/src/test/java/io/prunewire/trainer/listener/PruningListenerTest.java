package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.ListenerWorkloads.hybrid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.Moments;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.HutchinsonProbe;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PruningListenerTest {

  /** Copies of what the gates showed on sampled iterations, per gate layer index. */
  private static final class Recorder implements GateObserver {
    final GateObserver delegate;
    final Workload workload;
    final int every;
    final Map<Integer, List<INDArray[]>> seen = new HashMap<>();

    Recorder(GateObserver delegate, Workload workload, int every) {
      this.delegate = delegate;
      this.workload = workload;
      this.every = every;
    }

    @Override
    public void forward(int layerIndex, INDArray activations, boolean training) {
      delegate.forward(layerIndex, activations, training);
    }

    @Override
    public void backward(int layerIndex, INDArray a, INDArray eps, INDArray gateGradient) {
      if (workload.network().getIterationCount() % every == 0) {
        seen.computeIfAbsent(layerIndex, k -> new ArrayList<>())
            .add(
                new INDArray[] {
                  a.castTo(DataType.DOUBLE).detach(),
                  eps.castTo(DataType.DOUBLE).detach(),
                  gateGradient.castTo(DataType.DOUBLE).detach()
                });
      }
      delegate.backward(layerIndex, a, eps, gateGradient);
    }
  }

  @Test
  void summariesEqualBruteForceReductionsOfTheSampledBatches() {
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    int windows = ListenerWorkloads.windows();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId("r")
            .sampleEvery(3)
            .publishEvery(windows)
            .build()
            .attach();
    Recorder recorder = new Recorder(listener, w, 3);
    w.setGateObserver(recorder);
    w.trainEpoch(p -> {});
    listener.close();

    RunStarted run = sink.events(RunStarted.class).get(0);
    assertThat(sink.events().get(0)).isSameAs(run);
    assertThat(run.layers())
        .extracting(l -> l.name())
        .containsExactly("h1.snn", "h1.rnn", "h2.snn", "h2.rnn");
    List<ActivationSummaryEvent> acts = sink.events(ActivationSummaryEvent.class);
    List<GradientSummaryEvent> grads = sink.events(GradientSummaryEvent.class);
    assertThat(acts).hasSize(4);
    assertThat(grads).hasSize(4);
    assertThat(sink.events(WeightStatisticsEvent.class)).hasSize(4);

    for (PrunableLayer layer : w.prunableLayers()) {
      List<INDArray[]> batches = recorder.seen.get(layer.gateLayer());
      assertThat(batches).hasSize((windows + 2) / 3);
      int n = layer.neurons();
      Moments value = new Moments(n);
      Moments grad = new Moments(n);
      Moments gate = new Moments(n);
      long nonZero0 = 0;
      for (INDArray[] b : batches) {
        INDArray a =
            b[0].get(
                NDArrayIndex.all(),
                NDArrayIndex.interval(layer.gateOffset(), layer.gateOffset() + n),
                NDArrayIndex.all());
        INDArray e =
            b[1].get(
                NDArrayIndex.all(),
                NDArrayIndex.interval(layer.gateOffset(), layer.gateOffset() + n),
                NDArrayIndex.all());
        double[] z = new double[n];
        for (long bi = 0; bi < a.size(0); bi++) {
          for (long t = 0; t < a.size(2); t++) {
            double[] row = new double[n];
            double[] gRow = new double[n];
            for (int i = 0; i < n; i++) {
              row[i] = a.getDouble(bi, i, t);
              gRow[i] = e.getDouble(bi, i, t);
              z[i] += row[i] * gRow[i];
            }
            nonZero0 += row[0] != 0 ? 1 : 0;
            value.addSample(row);
            grad.addSample(gRow);
          }
        }
        for (int i = 0; i < n; i++) {
          // The gate's own gradient is the same product sum.
          assertThat(b[2].getDouble(0, layer.gateOffset() + i))
              .isCloseTo(z[i], within(1e-5 * (1 + Math.abs(z[i]))));
        }
        gate.addSample(z);
      }
      ActivationSummaryEvent act =
          acts.stream().filter(x -> x.layer().equals(layer.name())).findFirst().orElseThrow();
      GradientSummaryEvent g =
          grads.stream().filter(x -> x.layer().equals(layer.name())).findFirst().orElseThrow();
      assertThat(act.window()).isEqualTo(windows);
      assertThat(act.summary().value().count()).isEqualTo(value.count());
      assertThat(act.summary().nonZero().count(0)).isEqualTo(nonZero0);
      for (int i = 0; i < n; i++) {
        assertThat(act.summary().value().mean(i)).isCloseTo(value.mean(i), within(1e-5));
        assertThat(act.summary().value().m2(i))
            .isCloseTo(value.m2(i), within(1e-4 * (1 + value.m2(i))));
        assertThat(g.summary().gradient().mean(i))
            .isCloseTo(grad.mean(i), within(1e-6 * (1 + Math.abs(grad.mean(i)))));
        assertThat(g.summary().gate().mean(i))
            .isCloseTo(gate.mean(i), within(1e-4 * (1 + Math.abs(gate.mean(i)))));
        assertThat(g.summary().gate().count()).isEqualTo(batches.size());
      }
    }
  }

  @Test
  void checkpointMeasuresAblationsAppliesTheDecisionAndAcknowledgesItsHash() {
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    // An in-process agent: prune neuron 0 of every layer at each checkpoint.
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            List<DecisionEvent.LayerDecision> layers = new ArrayList<>();
            for (PrunableLayer l : w.prunableLayers()) {
              boolean[] keep = new boolean[l.neurons()];
              java.util.Arrays.fill(keep, true);
              keep[0] = false;
              layers.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
            }
            sink.deliver(
                new DecisionEvent(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    layers,
                    new LinkedHashMap<>(),
                    "test",
                    List.of()));
          }
        });
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId("r")
            .sampleEvery(5)
            .publishEvery(10)
            .curvatureEvery(10, HutchinsonProbe.builder().probes(2).build())
            .checkpointEvery(10, 3, AblationProbe.builder().singles(2).groups(2).build())
            .probeBatch(w.probeBatch(Split.VALID, 0))
            .decisionTimeout(Duration.ofSeconds(5))
            .build()
            .attach();
    w.trainEpoch(p -> {});

    List<CheckpointEvent> checkpoints = sink.events(CheckpointEvent.class);
    assertThat(checkpoints).isNotEmpty();
    assertThat(checkpoints.get(0).plannedRemovals()).isEqualTo(3);
    List<AblationEvent> ablations = sink.events(AblationEvent.class);
    assertThat(ablations).hasSameSizeAs(checkpoints);
    assertThat(ablations.get(0).measurements()).hasSize(4);
    assertThat(ablations.get(0).measurements().subList(2, 4)).allMatch(m -> m.size() == 3);
    // After the first decision no ablation touches a pruned neuron.
    for (AblationEvent a : ablations.subList(1, ablations.size())) {
      a.measurements()
          .forEach(m -> m.removed().forEach(r -> assertThat(r.neurons()).doesNotContain(0)));
    }
    List<DecisionAck> acks = sink.events(DecisionAck.class);
    assertThat(acks).hasSameSizeAs(checkpoints);
    assertThat(acks.get(0).maskHash()).isEqualTo(listener.masks().hash());
    List<CurvatureEvent> curvature = sink.events(CurvatureEvent.class);
    assertThat(curvature).hasSize(4 * checkpoints.size());
    assertThat(curvature.get(0).summary().vHv().count()).isEqualTo(2);

    // Pruned neurons own only zeros after training went on, and their gates are closed.
    INDArray p = w.network().params();
    for (PrunableLayer l : w.prunableLayers()) {
      for (int j : LayerOwnership.of(w.network(), l).owned()[0]) {
        assertThat(p.getDouble(j)).isEqualTo(0.0);
      }
      assertThat(w.gate(l.gateLayer()).mask()[l.gateOffset()]).isFalse();
      assertThat(w.gate(l.gateLayer()).mask()[l.gateOffset() + 1]).isTrue();
    }
    assertThat(w.loss(w.probeBatch(Split.VALID, 0))).isFinite();
  }

  @Test
  void aV2ListenerMeasuresItsShareOfTheAgentsCandidatesBeforeTheDecision() {
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    List<PrunableLayer> layers = w.prunableLayers();
    // An in-process agent: three candidates split between this trainer and another one; candidate 0
    // removes one neuron of the first layer, 1 every neuron of every layer, 2 (the other trainer's)
    // one neuron.
    List<RemovalCandidates.Candidate> candidates = new ArrayList<>();
    candidates.add(
        new RemovalCandidates.Candidate(
            0, List.of(new AblationEvent.Removal(layers.get(0).name(), new int[] {1}))));
    List<AblationEvent.Removal> everything = new ArrayList<>();
    for (PrunableLayer l : layers) {
      everything.add(
          new AblationEvent.Removal(
              l.name(), java.util.stream.IntStream.range(0, l.neurons()).toArray()));
    }
    candidates.add(new RemovalCandidates.Candidate(1, everything));
    candidates.add(
        new RemovalCandidates.Candidate(
            2, List.of(new AblationEvent.Removal(layers.get(0).name(), new int[] {2}))));
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            // measurers in assignment order: this trainer takes positions 0 and 2, "trainer-9"
            // position 1
            sink.deliver(
                new RemovalCandidates(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    0,
                    List.of("trainer-0", "trainer-9"),
                    List.of(candidates.get(0), candidates.get(1), candidates.get(2))));
          } else if (e instanceof RemovalOutcome o && o.candidateId() == 2) {
            List<DecisionEvent.LayerDecision> keepAll = new ArrayList<>();
            for (PrunableLayer l : layers) {
              boolean[] keep = new boolean[l.neurons()];
              java.util.Arrays.fill(keep, true);
              keepAll.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
            }
            sink.deliver(
                new DecisionEvent(
                    new Header("r", "agent", o.step(), 1),
                    o.checkpointId(),
                    keepAll,
                    new LinkedHashMap<>(),
                    "test",
                    List.of()));
          }
        });
    PruningListener.builder(new WorkloadNetwork(w))
        .sink(sink)
        .runId("r")
        .sampleEvery(5)
        .publishEvery(10)
        .checkpointEvery(10, 3, AblationProbe.builder().singles(0).groups(0).build())
        .probeBatch(w.probeBatch(Split.VALID, 0))
        .decisionTimeout(Duration.ofSeconds(5))
        .build()
        .attach();
    w.trainEpoch(p -> {});

    assertThat(sink.events(RunStarted.class).get(0).measuresCandidates()).isTrue();
    List<CheckpointEvent> checkpoints = sink.events(CheckpointEvent.class);
    List<RemovalOutcome> outcomes = sink.events(RemovalOutcome.class);
    assertThat(outcomes).hasSize(2 * checkpoints.size());
    assertThat(outcomes.subList(0, 2))
        .extracting(RemovalOutcome::candidateId)
        .containsExactly(0, 2);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.probeBatches()).isEqualTo(1));
    // every outcome came before the checkpoint's ack, i.e. before the decision was applied
    List<Event> all = sink.events();
    assertThat(all.indexOf(outcomes.get(1)))
        .isLessThan(all.indexOf(sink.events(DecisionAck.class).get(0)));
    assertThat(sink.events(DecisionAck.class)).hasSameSizeAs(checkpoints);
  }

  @Test
  void candidatesNamingALayerTheTrainerDoesNotHaveAreNotMeasuredAndTrainingGoesOn() {
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            sink.deliver(
                new RemovalCandidates(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    0,
                    List.of("trainer-0"),
                    List.of(
                        new RemovalCandidates.Candidate(
                            0, List.of(new AblationEvent.Removal("bogus", new int[] {0}))))));
          }
        });
    PruningListener.builder(new WorkloadNetwork(w))
        .sink(sink)
        .runId("r")
        .sampleEvery(5)
        .publishEvery(10)
        .checkpointEvery(10, 2, AblationProbe.builder().singles(0).groups(0).build())
        .probeBatch(w.probeBatch(Split.VALID, 0))
        .decisionTimeout(Duration.ofMillis(200))
        .build()
        .attach();
    w.trainEpoch(p -> {});

    // every checkpoint came and went: the forged candidates were not measured and did not stop
    // training
    assertThat(sink.events(CheckpointEvent.class)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(sink.events(RemovalOutcome.class)).isEmpty();
    assertThat(w.network().getIterationCount()).isGreaterThan(20);
  }

  @Test
  void observingAndProbingLeaveTrainingUnchanged() {
    Workload plain = hybrid();
    plain.trainEpoch(p -> {});
    Workload watched = hybrid();
    PruningListener.builder(new WorkloadNetwork(watched))
        .sink(new InMemoryTelemetrySink())
        .runId("r")
        .sampleEvery(1)
        .publishEvery(4)
        .curvatureEvery(5, HutchinsonProbe.builder().probes(2).build())
        .checkpointEvery(7, 2, AblationProbe.builder().singles(2).groups(1).build())
        .probeBatch(watched.probeBatch(Split.VALID, 0))
        .decisionTimeout(Duration.ZERO)
        .build()
        .attach();
    watched.trainEpoch(p -> {});
    assertThat(watched.network().params().toFloatVector())
        .isEqualTo(plain.network().params().toFloatVector());
  }
}
