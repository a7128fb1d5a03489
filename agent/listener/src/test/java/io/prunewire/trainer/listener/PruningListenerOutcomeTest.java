package io.prunewire.trainer.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.PrunableLayers;
import io.prunewire.trainer.network.SmallNets;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** A v2 trainer measures the agent's removal candidates on each outcome batch. */
class PruningListenerOutcomeTest {

  /**
   * An in-process agent that answers the checkpoint (step 10) with two candidates (neuron 0, neuron
   * 1 of layer d1) and decides, keeping everything, once both outcomes came.
   */
  private static List<RemovalOutcome> measuredOutcomes(List<DataSet> outcomeBatches) {
    MultiLayerNetwork net = SmallNets.mlp(7);
    DataSet train = SmallNets.flat(6, 4, 11);
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    List<PrunableLayer> layers = PrunableLayers.find(net);
    List<RemovalOutcome> outcomes = new ArrayList<>();
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            sink.deliver(
                new RemovalCandidates(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    0,
                    List.of(c.trainerId()),
                    List.of(candidate(0, new int[] {0}), candidate(1, new int[] {1}))));
          } else if (e instanceof RemovalOutcome o) {
            outcomes.add(o);
            if (outcomes.size() == 2) {
              sink.deliver(keepAll(o, layers));
            }
          }
        });
    PruningListener.Builder builder =
        PruningListener.forNetwork(net)
            .heldOut(SmallNets.flat(8, 4, 12))
            .sink(sink)
            .runId("r")
            .sampleEvery(1)
            .publishEvery(5)
            .checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
            .decisionTimeout(Duration.ofSeconds(10));
    if (!outcomeBatches.isEmpty()) {
      builder.outcomeBatches(outcomeBatches);
    }
    PruningListener listener = builder.build().attach();
    for (int i = 0; i < 10; i++) {
      net.fit(train);
    }
    listener.close();
    return outcomes;
  }

  private static RemovalCandidates.Candidate candidate(int id, int[] neurons) {
    return new RemovalCandidates.Candidate(id, List.of(new AblationEvent.Removal("d1", neurons)));
  }

  private static DecisionEvent keepAll(Event after, List<PrunableLayer> layers) {
    List<DecisionEvent.LayerDecision> decisions = new ArrayList<>();
    for (PrunableLayer l : layers) {
      boolean[] keep = new boolean[l.neurons()];
      java.util.Arrays.fill(keep, true);
      decisions.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
    }
    RemovalOutcome o = (RemovalOutcome) after;
    return new DecisionEvent(
        new Header("r", "agent", o.header().step(), 1),
        o.checkpointId(),
        decisions,
        new LinkedHashMap<>(),
        "test",
        List.of());
  }

  @Test
  void eachOutcomeIsTheMeanOverTheOutcomeBatchesWithItsStandardError() {
    DataSet a = SmallNets.flat(8, 4, 21);
    DataSet b = SmallNets.flat(8, 4, 22);
    DataSet c = SmallNets.flat(8, 4, 23);

    List<RemovalOutcome> three = measuredOutcomes(List.of(a, b, c));
    List<RemovalOutcome> same = measuredOutcomes(List.of(a, a, a));
    List<RemovalOutcome> one = measuredOutcomes(List.of(a));

    assertThat(three).hasSize(2);
    assertThat(three)
        .allSatisfy(
            o -> {
              assertThat(o.probeBatches()).isEqualTo(3);
              assertThat(o.deltaLossStdErr()).isPositive();
            });
    // one batch thrice: the same mean as that batch alone, no spread
    for (int k = 0; k < 2; k++) {
      assertThat(same.get(k).deltaLoss()).isCloseTo(one.get(k).deltaLoss(), within(1e-6));
      assertThat(same.get(k).deltaLossStdErr()).isZero();
      assertThat(one.get(k).probeBatches()).isEqualTo(1);
      assertThat(one.get(k).deltaLossStdErr()).isNaN();
    }
    assertThat(three.get(0).deltaLoss()).isNotEqualTo(one.get(0).deltaLoss());
  }

  @Test
  void withoutOutcomeBatchesTheHeldOutBatchIsMeasured() {
    List<RemovalOutcome> outcomes = measuredOutcomes(List.of());

    assertThat(outcomes)
        .hasSize(2)
        .allSatisfy(
            o -> {
              assertThat(o.probeBatches()).isEqualTo(1);
              assertThat(o.deltaLossStdErr()).isNaN();
            });
  }
}
