package io.prunewire.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.trainer.mask.LayerOwnership;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RecoveredAblationTest {

  private final MultiLayerNetwork net = TinyNets.recurrent(31);
  private final ProbeBatch batch = TinyNets.batch(32, 8, 5);

  {
    // fitted a little, so that removing neurons hurts
    for (int i = 0; i < 200; i++) {
      net.fit(new org.nd4j.linalg.dataset.DataSet(batch.features(), batch.labels()));
    }
  }

  private final List<LayerOwnership> layers = TinyNets.ownership(net);

  /** Removes every rnn neuron but the last and every lstm unit but the last. */
  private List<int[]> heavyRemoval() {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < TinyNets.RNN - 1; i++) {
      out.add(new int[] {0, i});
    }
    for (int i = 0; i < TinyNets.LSTM_UNITS - 1; i++) {
      out.add(new int[] {1, i});
    }
    return out;
  }

  @Test
  void restoresParametersAndRandomStreamExactly() {
    INDArray before = net.params().dup();
    Nd4j.getRandom().setSeed(99);
    ProbeEvaluator e = ProbeEvaluator.of(net, batch, 1);
    new RecoveredAblation(5, 0.01)
        .deltaLosses(
            List.of(e), List.of(e), layers, List.of(heavyRemoval(), List.of()), new int[0]);
    assertThat(net.params().equals(before)).isTrue();
    long after = Nd4j.getRandom().nextLong();
    Nd4j.getRandom().setSeed(99);
    ProbeEvaluator e2 = ProbeEvaluator.of(net, batch, 1);
    new RecoveredAblation(5, 0.01)
        .deltaLosses(
            List.of(e2), List.of(e2), layers, List.of(heavyRemoval(), List.of()), new int[0]);
    assertThat(Nd4j.getRandom().nextLong()).isEqualTo(after);
  }

  @Test
  void recoveryLowersTheDamageAndHoldsRemovedParametersAtZero() {
    ProbeEvaluator e = ProbeEvaluator.of(net, batch, 1);
    List<List<int[]>> removals = List.of(heavyRemoval());
    double immediate = AblationProbe.deltaLosses(e, layers, removals, () -> {})[0];
    int[] removed =
        heavyRemoval().stream()
            .flatMapToInt(d -> java.util.Arrays.stream(layers.get(d[0]).owned()[d[1]]))
            .toArray();
    int[] pruned = layers.get(0).owned()[TinyNets.RNN - 1]; // held at zero as a pruned neuron
    List<Double> checked = new ArrayList<>();
    ProbeEvaluator watching =
        new ProbeEvaluator() {
          @Override
          public Model network() {
            return net;
          }

          @Override
          public double loss() {
            return e.loss();
          }

          @Override
          public INDArray gradient() {
            for (int j : removed) {
              checked.add(net.params().getDouble(j));
            }
            for (int j : pruned) {
              checked.add(net.params().getDouble(j));
            }
            return e.gradient();
          }
        };
    double recovered =
        new RecoveredAblation(20, 0.01)
            .deltaLosses(List.of(e), List.of(watching), layers, removals, new int[0])[0][0];
    assertThat(immediate).isGreaterThan(0);
    assertThat(recovered).isLessThan(immediate);
    double[][] both =
        new RecoveredAblation(20, 0.01)
            .deltaLosses(List.of(e), List.of(watching), layers, removals, pruned);
    int per = removed.length + pruned.length;
    assertThat(checked).hasSize(2 * 20 * per);
    for (int t = 0; t < 40; t++) {
      List<Double> step = checked.subList(t * per, (t + 1) * per);
      // the removed parameters are zero before every gradient; the pruned ones too when held
      assertThat(step.subList(0, removed.length)).allMatch(x -> x == 0.0);
      if (t >= 20) {
        assertThat(step.subList(removed.length, per)).allMatch(x -> x == 0.0);
      }
    }
    assertThat(checked.subList(removed.length, per)).anyMatch(x -> x != 0.0);
    assertThat(both[0][0]).isFinite();
  }

  @Test
  void readsTheTrainingAdamStateAndContinuesFromItWithoutChangingIt() {
    MultiLayerNetwork adamNet =
        TinyNets.recurrent(41, new org.nd4j.linalg.learning.config.Adam(0.01));
    for (int i = 0; i < 30; i++) {
      adamNet.fit(new org.nd4j.linalg.dataset.DataSet(batch.features(), batch.labels()));
    }
    RecoveredAblation.Continuation c = RecoveredAblation.trainingState(adamNet, 1.0);
    assertThat(c).isNotNull();
    long n = adamNet.params().length();
    assertThat(c.m().length()).isEqualTo(n);
    assertThat(c.learningRate()).isEqualTo(0.01);
    assertThat(c.v().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
    assertThat(c.v().maxNumber().doubleValue()).isGreaterThan(0);
    INDArray state = adamNet.getUpdater().getStateViewArray().dup();
    INDArray before = adamNet.params().dup();
    List<LayerOwnership> own = TinyNets.ownership(adamNet);
    ProbeEvaluator e = ProbeEvaluator.of(adamNet, batch, 1);
    double[][] d =
        new RecoveredAblation(10, 0.01)
            .deltaLosses(List.of(e), List.of(e), own, List.of(heavyRemoval()), new int[0], c);
    assertThat(d[0][0]).isFinite();
    assertThat(adamNet.params().equals(before)).isTrue();
    assertThat(adamNet.getUpdater().getStateViewArray().equals(state)).isTrue();
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new RecoveredAblation(0, 0.01))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecoveredAblation(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
