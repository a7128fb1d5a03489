package io.prunewire.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.NeuronMasks;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class AblationProbeTest {

  private final MultiLayerNetwork net = TinyNets.recurrent(21);
  private final ProbeBatch batch = TinyNets.batch(22, 6, 5);
  private final List<LayerOwnership> layers = TinyNets.ownership(net);

  /** Brute force: zero the removed neurons' parameters in a clone and score it. */
  private double referenceDelta(AblationEvent.Measurement m) {
    DataSet data = new DataSet(batch.features(), batch.labels());
    double intact = net.clone().score(data, false);
    MultiLayerNetwork copy = net.clone();
    INDArray p = copy.params();
    for (AblationEvent.Removal r : m.removed()) {
      LayerOwnership own =
          layers.stream().filter(l -> l.layer().equals(r.layer())).findFirst().orElseThrow();
      for (int i : r.neurons()) {
        for (int j : own.owned()[i]) {
          p.putScalar(j, 0.0);
        }
      }
    }
    return copy.score(data, false) - intact;
  }

  @Test
  void measuresSinglesAndGroupsAgainstBruteForceAndRestoresTheNetwork() {
    INDArray before = net.params().dup();
    List<AblationEvent.Measurement> ms =
        AblationProbe.builder()
            .singles(3)
            .groups(2)
            .seed(5)
            .build()
            .measure(ProbeEvaluator.of(net, batch, 1), layers, null, 2, 0);
    assertThat(ms).hasSize(5);
    assertThat(ms.subList(0, 3)).allMatch(AblationEvent.Measurement::isSingle);
    assertThat(ms.subList(3, 5)).allMatch(m -> m.size() == 2);
    assertThat(net.params().equals(before)).isTrue();
    for (AblationEvent.Measurement m : ms) {
      double ref = referenceDelta(m);
      assertThat(m.deltaLoss()).isCloseTo(ref, within(1e-6 * Math.abs(ref) + 1e-9));
    }
    assertThat(ms).anyMatch(m -> m.deltaLoss() != 0);
  }

  @Test
  void neverSamplesPrunedNeuronsAndIsSeeded() {
    NeuronMasks masks =
        NeuronMasks.of(
            Map.of("rnn", new boolean[] {false, true, false}, "lstm", new boolean[] {true, false}));
    AblationProbe probe = AblationProbe.builder().singles(5).groups(3).seed(9).build();
    List<AblationEvent.Measurement> ms =
        probe.measure(ProbeEvaluator.of(net, batch, 1), layers, masks, 2, 4);
    // Only rnn/1 and lstm/0 are alive: two singles, and groups of both.
    assertThat(ms).hasSize(5);
    for (AblationEvent.Measurement m : ms) {
      for (AblationEvent.Removal r : m.removed()) {
        int alive = r.layer().equals("rnn") ? 1 : 0;
        assertThat(r.neurons()).containsOnly(alive);
      }
    }
    assertThat(probe.measure(ProbeEvaluator.of(net, batch, 1), layers, masks, 2, 4)).isEqualTo(ms);
  }

  @Test
  void skipsGroupsLargerThanTheLiveNeuronsOrSmallerThanTwo() {
    AblationProbe probe = AblationProbe.builder().singles(1).groups(3).build();
    assertThat(probe.measure(ProbeEvaluator.of(net, batch, 1), layers, null, 6, 0)).hasSize(1);
    assertThat(probe.measure(ProbeEvaluator.of(net, batch, 1), layers, null, 1, 0)).hasSize(1);
    assertThat(probe.measure(ProbeEvaluator.of(net, batch, 1), layers, null, 5, 0)).hasSize(4);
  }

  @Test
  void deltaLossesOfExplicitRemovalsMatchBruteForce() {
    INDArray before = net.params().dup();
    List<List<int[]>> removals =
        List.of(List.of(new int[] {0, 1}), List.of(new int[] {0, 0}, new int[] {1, 1}));
    int[] calls = new int[1];
    double[] d =
        AblationProbe.deltaLosses(
            ProbeEvaluator.of(net, batch, 1), layers, removals, () -> calls[0]++);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(net.params().equals(before)).isTrue();
    AblationEvent.Measurement single =
        new AblationEvent.Measurement(
            List.of(new AblationEvent.Removal(layers.get(0).layer(), new int[] {1})), 0);
    AblationEvent.Measurement pair =
        new AblationEvent.Measurement(
            List.of(
                new AblationEvent.Removal(layers.get(0).layer(), new int[] {0}),
                new AblationEvent.Removal(layers.get(1).layer(), new int[] {1})),
            0);
    assertThat(d[0]).isCloseTo(referenceDelta(single), within(1e-6 * Math.abs(d[0]) + 1e-9));
    assertThat(d[1]).isCloseTo(referenceDelta(pair), within(1e-6 * Math.abs(d[1]) + 1e-9));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AblationProbe.deltaLosses(
                    ProbeEvaluator.of(net, batch, 1),
                    layers,
                    List.of(List.of(new int[] {5, 0})),
                    () -> {}))
        .hasMessageContaining("[5, 0]");
  }
}
