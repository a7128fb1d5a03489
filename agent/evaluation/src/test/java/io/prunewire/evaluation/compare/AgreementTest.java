package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.trainer.mask.NeuronMasks;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AgreementTest {

  /** τ-b from its definition over every pair, with ties counted per side. */
  private static double bruteTauB(double[] x, double[] y) {
    double c = 0;
    double d = 0;
    double tx = 0;
    double ty = 0;
    double n0 = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < i; j++) {
        n0++;
        double p = Math.signum(x[i] - x[j]) * Math.signum(y[i] - y[j]);
        c += p > 0 ? 1 : 0;
        d += p < 0 ? 1 : 0;
        tx += x[i] == x[j] ? 1 : 0;
        ty += y[i] == y[j] ? 1 : 0;
      }
    }
    return (c - d) / Math.sqrt((n0 - tx) * (n0 - ty));
  }

  @Test
  void kendallTauBMatchesItsDefinitionWithAndWithoutTies() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 20; trial++) {
      double[] x = new double[30];
      double[] y = new double[30];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(trial % 2 == 0 ? 1000 : 5);
        y[i] = x[i] + r.nextInt(4);
      }
      assertThat(Agreement.kendallTauB(x, y)).isCloseTo(bruteTauB(x, y), within(1e-12));
    }
    assertThat(Agreement.kendallTauB(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isEqualTo(-1.0);
    assertThat(Agreement.kendallTauB(new double[] {1, 2, 3}, new double[] {5, 5, 5})).isNaN();
    assertThatThrownBy(() -> Agreement.kendallTauB(new double[2], new double[3]))
        .hasMessageContaining("2 vs 3");
  }

  @Test
  void jaccardCountsKeptNeuronsOverEveryLayer() {
    NeuronMasks a =
        NeuronMasks.of(
            Map.of("h1", new boolean[] {true, true, false}, "h2", new boolean[] {true, false}));
    NeuronMasks b =
        NeuronMasks.of(
            Map.of("h1", new boolean[] {true, false, false}, "h2", new boolean[] {true, true}));
    // kept: a = {h1/0, h1/1, h2/0}, b = {h1/0, h2/0, h2/1}: 2 shared of 4.
    assertThat(Agreement.jaccardOfKept(a, b)).isEqualTo(0.5);
    assertThat(Agreement.jaccardOfKept(a, a)).isEqualTo(1.0);
    assertThatThrownBy(
            () -> Agreement.jaccardOfKept(a, NeuronMasks.of(Map.of("h1", new boolean[3]))))
        .hasMessageContaining("different layers");
  }
}
