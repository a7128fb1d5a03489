package io.prunewire.trainer.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Header;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NeuronMasksTest {

  private static Map<String, boolean[]> ordered(String a, boolean[] x, String b, boolean[] y) {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    m.put(a, x);
    m.put(b, y);
    return m;
  }

  @Test
  void hashEqualsTheDecisionsHashForTheSameMasks() {
    DecisionEvent d =
        new DecisionEvent(
            new Header("run", "agent", 3, 1),
            "c1",
            List.of(
                new DecisionEvent.LayerDecision(
                    "snn", new boolean[] {true, false, true}, new float[] {1, 0, 2}),
                new DecisionEvent.LayerDecision(
                    "rnn", new boolean[] {false, true}, new float[] {0, 1})),
            Map.of(),
            "",
            List.of());
    assertThat(NeuronMasks.of(d).hash()).isEqualTo(d.maskHash());
  }

  @Test
  void hashDependsOnBitsAndLayerOrder() {
    boolean[] x = {true, false, true};
    boolean[] y = {false, true};
    long h = NeuronMasks.of(ordered("a", x, "b", y)).hash();
    assertThat(NeuronMasks.of(ordered("b", y, "a", x)).hash()).isNotEqualTo(h);
    assertThat(NeuronMasks.of(ordered("a", new boolean[] {true, true, true}, "b", y)).hash())
        .isNotEqualTo(h);
    assertThat(NeuronMasks.of(ordered("a", x.clone(), "b", y.clone())).hash()).isEqualTo(h);
  }

  @Test
  void isImmutable() {
    boolean[] x = {true, true};
    NeuronMasks m = NeuronMasks.of(Map.of("a", x));
    x[0] = false;
    m.keep("a")[1] = false;
    assertThat(m.keep("a")).containsExactly(true, true);
    assertThat(m.pruned()).isZero();
  }

  @Test
  void rejectsEmptyMasksAndUnknownLayers() {
    assertThatThrownBy(() -> NeuronMasks.of(Map.of("a", new boolean[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a")
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> NeuronMasks.of(Map.of("a", new boolean[] {true})).keep("b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b");
    assertThatThrownBy(
            () ->
                NeuronMasks.of(Map.of("a", new boolean[] {true}))
                    .and(NeuronMasks.of(Map.of("a", new boolean[] {true, false}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a");
  }
}
