package io.prunewire.trainer.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.trainer.probe.ProbeBatch;
import io.prunewire.trainer.probe.TinyNets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

class MaskApplierTest {

  private static NeuronMasks pruneFirstOfEach() {
    return NeuronMasks.of(
        Map.of("rnn", new boolean[] {false, true, true}, "lstm", new boolean[] {true, false}));
  }

  private static MultiLayerNetwork momentumNet() {
    return TinyNets.recurrent(3, new Nesterovs(0.05, 0.9));
  }

  /**
   * Trains {@code steps} SGD-momentum steps; returns the max |w| over parameters pruned neurons
   * own.
   */
  private static double trainAndMeasure(
      MultiLayerNetwork net, List<LayerOwnership> own, NeuronMasks masks, int steps) {
    ProbeBatch b = TinyNets.batch(5, 8, 6);
    DataSet data = new DataSet(b.features(), b.labels());
    for (int s = 0; s < steps; s++) {
      net.fit(data);
      assertThat(net.score()).isFinite();
    }
    INDArray p = net.params();
    double max = 0;
    for (LayerOwnership l : own) {
      boolean[] keep = masks.keep(l.layer());
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          for (int j : l.owned()[i]) {
            max = Math.max(max, Math.abs(p.getDouble(j)));
          }
        }
      }
    }
    return max;
  }

  @Test
  void maskedParametersStayExactlyZeroThrough200MomentumSteps() {
    MultiLayerNetwork net = momentumNet();
    List<LayerOwnership> own = TinyNets.ownership(net);
    MaskApplier applier = new MaskApplier(net, own);
    net.addListeners(applier);
    DataSet warm =
        new DataSet(TinyNets.batch(5, 8, 6).features(), TinyNets.batch(5, 8, 6).labels());
    for (int s = 0; s < 5; s++) {
      net.fit(warm); // momentum builds up before masking
    }
    INDArray before = net.params().dup();
    applier.apply(pruneFirstOfEach());
    assertThat(trainAndMeasure(net, own, pruneFirstOfEach(), 200)).isEqualTo(0.0);
    // Kept parameters did train.
    int[] keptSample = own.get(0).owned()[1];
    assertThat(
            IntStream.of(keptSample)
                .anyMatch(j -> net.params().getDouble(j) != before.getDouble(j)))
        .isTrue();
  }

  @Test
  void withoutReZeroingMomentumRevivesPrunedWeights() {
    MultiLayerNetwork net = momentumNet();
    List<LayerOwnership> own = TinyNets.ownership(net);
    MaskApplier applier = new MaskApplier(net, own);
    DataSet warm =
        new DataSet(TinyNets.batch(5, 8, 6).features(), TinyNets.batch(5, 8, 6).labels());
    for (int s = 0; s < 5; s++) {
      net.fit(warm);
    }
    applier.apply(pruneFirstOfEach()); // applied once, not registered as a listener
    assertThat(trainAndMeasure(net, own, pruneFirstOfEach(), 5)).isGreaterThan(0.0);
  }

  @Test
  void laterMasksKeepEarlierPrunedNeuronsPruned() {
    MultiLayerNetwork net = TinyNets.recurrent(3);
    MaskApplier applier = new MaskApplier(net, TinyNets.ownership(net));
    applier.apply(pruneFirstOfEach());
    NeuronMasks now =
        applier.apply(NeuronMasks.of(Map.of("rnn", new boolean[] {true, true, false})));
    assertThat(now.keep("rnn")).containsExactly(false, true, false);
    assertThat(now.keep("lstm")).containsExactly(true, false);
    assertThat(now.pruned()).isEqualTo(3);
  }

  @Test
  void prunedParametersAreExactlyWhatThePrunedNeuronsOwn() {
    MultiLayerNetwork net = TinyNets.recurrent(3);
    List<LayerOwnership> own = TinyNets.ownership(net);
    MaskApplier applier = new MaskApplier(net, own);
    assertThat(applier.prunedParameters()).isEmpty();
    NeuronMasks now = applier.apply(pruneFirstOfEach());
    java.util.SortedSet<Integer> expected = new java.util.TreeSet<>();
    for (LayerOwnership l : own) {
      boolean[] keep = now.keep(l.layer());
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          for (int j : l.owned()[i]) {
            expected.add(j);
          }
        }
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(applier.prunedParameters())
        .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void rejectsMasksThatDoNotFitTheNetwork() {
    MultiLayerNetwork net = TinyNets.recurrent(3);
    MaskApplier applier = new MaskApplier(net, TinyNets.ownership(net));
    assertThatThrownBy(() -> applier.apply(NeuronMasks.of(Map.of("rnn", new boolean[] {true}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rnn")
        .hasMessageContaining("1 neurons");
    assertThatThrownBy(() -> applier.apply(NeuronMasks.of(Map.of("dense", new boolean[] {true}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dense");
  }
}
