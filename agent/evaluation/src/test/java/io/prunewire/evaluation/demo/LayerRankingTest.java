package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LayerRankingTest {

  @Test
  void ranksEachScoreAgainstDeltaLossOnTheProbesItHas() {
    LayerRanking r = new LayerRanking();
    double[][] probes = {
      {0.1, 5, 0.01}, {0.9, Double.NaN, 0.30}, {0.5, 1, 0.20}, {0.7, 3, 0.25}, {0.3, 4, 0.05}
    };
    for (double[] p : probes) {
      r.add(p[0], p[1], p[2]);
    }
    assertThat(r.size()).isEqualTo(5);
    // the fused scores order the five exactly as Δloss does
    assertThat(r.fused().value()).isCloseTo(1.0, within(1e-12));
    assertThat(r.fused().probes()).isEqualTo(5);
    // HAP skips the probe without a score: scores 5,1,3,4 vs Δloss 0.01,0.20,0.25,0.05
    double expected =
        io.prunewire.scorers.fusion.Spearman.of(
            new double[] {5, 1, 3, 4}, new double[] {0.01, 0.20, 0.25, 0.05});
    assertThat(r.hap().value()).isCloseTo(expected, within(1e-12));
    assertThat(r.hap().probes()).isEqualTo(4);
  }

  @Test
  void saysWhyThereIsNoRho() {
    LayerRanking few = new LayerRanking();
    few.add(1, 1, 0.1);
    few.add(2, 2, 0.2);
    assertThat(few.fused().present()).isFalse();
    assertThat(few.fused().text()).contains("2 held-out probes");

    LayerRanking silent = new LayerRanking();
    for (int i = 0; i < 4; i++) {
      silent.add(i, i, 0.0);
    }
    assertThat(silent.hap().text()).startsWith("n/a").contains("Δloss = 0.0 for all 4 probes");

    LayerRanking tied = new LayerRanking();
    for (int i = 0; i < 4; i++) {
      tied.add(0.5, i, i);
    }
    assertThat(tied.fused().text()).contains("fused scores equal for all 4 probes");
    assertThat(tied.hap().value()).isCloseTo(1.0, within(1e-12));
  }
}
