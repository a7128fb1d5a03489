package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightStatisticsTest {
  @Test
  void perNeuronStatisticsMatchDirectComputationOverEachColumn() {
    Random random = new Random(1);
    int fanIn = 7;
    int n = 5;
    int fanOut = 3;
    float[] in = new float[fanIn * n];
    for (int j = 0; j < in.length; j++) {
      in[j] = random.nextInt(4) == 0 ? 0 : (float) random.nextGaussian();
    }
    float[] out = new float[n * fanOut];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) random.nextGaussian();
    }
    WeightStatistics stats = WeightStatistics.of(in, fanIn, n, out, fanOut);
    double[] in64 = new double[in.length];
    for (int j = 0; j < in.length; j++) {
      in64[j] = in[j];
    }
    double[] drops = EffectiveRank.drops(in64, fanIn, n);
    for (int i = 0; i < n; i++) {
      double[] w = new double[fanIn];
      for (int j = 0; j < fanIn; j++) {
        w[j] = in[j * n + i];
      }
      double mean = 0;
      double sq = 0;
      double abs = 0;
      int nonZero = 0;
      for (double x : w) {
        mean += x / fanIn;
        sq += x * x / fanIn;
        abs += Math.abs(x);
        nonZero += Math.abs(x) > 1e-12 ? 1 : 0;
      }
      double variance = 0;
      double entropy = 0;
      for (double x : w) {
        variance += (x - mean) * (x - mean) / fanIn;
        if (x != 0) {
          double p = Math.abs(x) / abs;
          entropy -= p * Math.log(p);
        }
      }
      double outgoing = 0;
      for (int c = 0; c < fanOut; c++) {
        outgoing += Math.abs((double) out[i * fanOut + c]) / fanOut;
      }
      assertThat(stats.l2()[i]).isCloseTo(sq, within(1e-12));
      assertThat(stats.l1()[i]).isCloseTo(abs / fanIn, within(1e-12));
      assertThat(stats.variance()[i]).isCloseTo(variance, within(1e-12));
      assertThat(stats.nonZeroRatio()[i]).isEqualTo(nonZero / (double) fanIn);
      assertThat(stats.entropy()[i]).isCloseTo(entropy, within(1e-12));
      assertThat(stats.outgoing()[i]).isCloseTo(outgoing, within(1e-12));
      assertThat(stats.effectiveRankDrop()[i]).isEqualTo(drops[i]);
    }
    assertThat(stats.fanIn()).isEqualTo(fanIn);
    assertThat(stats.neurons()).isEqualTo(n);
  }

  @Test
  void zeroColumnHasZeroEntropyAndNoEffectiveRankContribution() {
    float[] in = {1, 0, 2, 0, 0, 0};
    WeightStatistics stats = WeightStatistics.of(in, 3, 2, new float[] {1, 1}, 1);
    assertThat(stats.entropy()[1]).isZero();
    assertThat(stats.nonZeroRatio()[1]).isZero();
    assertThat(stats.effectiveRankDrop()[1]).isCloseTo(0, within(1e-12));
    assertThat(stats.effectiveRankDrop()[0]).isCloseTo(1, within(1e-12));
  }

  @Test
  void rejectsBadInputNamingTheField() {
    assertThatThrownBy(() -> WeightStatistics.of(new float[5], 2, 3, new float[3], 1))
        .hasMessageContaining("incoming has length 5, expected 6");
    assertThatThrownBy(() -> WeightStatistics.of(new float[6], 2, 3, new float[2], 1))
        .hasMessageContaining("outgoing has length 2, expected 3");
    assertThatThrownBy(
            () ->
                WeightStatistics.of(new float[] {0, 0, 0, 0, Float.NaN, 0}, 2, 3, new float[3], 1))
        .hasMessageContaining("incoming[1, 1]");
    assertThatThrownBy(
            () ->
                WeightStatistics.of(
                    new float[6], 2, 3, new float[] {0, Float.POSITIVE_INFINITY, 0}, 1))
        .hasMessageContaining("outgoing[1, 0]");
    assertThatThrownBy(() -> WeightStatistics.of(new float[6], 0, 3, new float[3], 1))
        .hasMessageContaining("fanIn");
    double[] ok = {1};
    assertThatThrownBy(() -> new WeightStatistics(1, 1, ok, ok, ok, new double[] {2}, ok, ok, ok))
        .hasMessageContaining("nonZeroRatio[0] = 2.0 exceeds 1");
    assertThatThrownBy(() -> new WeightStatistics(1, 1, new double[] {-1}, ok, ok, ok, ok, ok, ok))
        .hasMessageContaining("l2[0]");
    assertThatThrownBy(() -> new WeightStatistics(1, 1, ok, ok, ok, ok, ok, new double[2], ok))
        .hasMessageContaining("effectiveRankDrop has length 2");
  }
}
