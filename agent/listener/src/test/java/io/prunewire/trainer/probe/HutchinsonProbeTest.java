package io.prunewire.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class HutchinsonProbeTest {

  private static MultiLayerNetwork net;
  private static ProbeBatch batch;
  private static List<LayerCoordinates> layers;

  /** Reference Hessian over all incoming weights, in the order the layers list them. */
  private static double[][] hessian;

  /** Mean squared errors of Hutchinson estimates at n=1 and n=16 against the reference traces. */
  private static double[] mse;

  @BeforeAll
  static void referenceHessian() {
    net = TinyNets.recurrent(7);
    batch = TinyNets.batch(11, 6, 5);
    layers = TinyNets.incoming(net);
    int[] coords =
        layers.stream()
            .flatMap(l -> java.util.Arrays.stream(l.incoming()))
            .flatMapToInt(java.util.Arrays::stream)
            .toArray();
    // Column j of H by central differences of the analytic gradient along e_j (double precision).
    double h = 1e-5;
    INDArray p = net.params();
    hessian = new double[coords.length][coords.length];
    for (int j = 0; j < coords.length; j++) {
      double w = p.getDouble(coords[j]);
      p.putScalar(coords[j], w + h);
      double[] plus = gradient(coords);
      p.putScalar(coords[j], w - h);
      double[] minus = gradient(coords);
      p.putScalar(coords[j], w);
      for (int k = 0; k < coords.length; k++) {
        hessian[k][j] = (plus[k] - minus[k]) / (2 * h);
      }
    }
    mse = squaredErrors(referenceTraces());
  }

  private static double[] gradient(int[] coords) {
    net.setInput(batch.features());
    net.setLabels(batch.labels());
    net.computeGradientAndScore();
    INDArray g = net.gradient().gradient();
    double[] out = new double[coords.length];
    for (int k = 0; k < coords.length; k++) {
      out[k] = g.getDouble(coords[k]);
    }
    return out;
  }

  /** trace(H_i) from the reference Hessian, per layer. */
  private static double[][] referenceTraces() {
    double[][] out = new double[layers.size()][];
    int k = 0;
    for (int l = 0; l < layers.size(); l++) {
      int[][] in = layers.get(l).incoming();
      out[l] = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        for (int m = 0; m < in[i].length; m++, k++) {
          out[l][i] += hessian[k][k];
        }
      }
    }
    return out;
  }

  /**
   * Variance of one Rademacher sample for each neuron, from the reference Hessian: the sample is
   * {@code trace + Σ_{j<k} c_jk v_j v_k} with {@code c_jk = H_jk[j∈I] + H_kj[k∈I]}, so its variance
   * is {@code Σ_{j<k} c_jk²}.
   */
  private static double[][] referenceVariances() {
    double[][] out = new double[layers.size()][];
    int n = hessian.length;
    int start = 0;
    for (int l = 0; l < layers.size(); l++) {
      int[][] in = layers.get(l).incoming();
      out[l] = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        int lo = start;
        int hi = start + in[i].length;
        double var = 0;
        for (int j = 0; j < n; j++) {
          for (int k = j + 1; k < n; k++) {
            double c =
                (j >= lo && j < hi ? hessian[j][k] : 0) + (k >= lo && k < hi ? hessian[k][j] : 0);
            var += c * c;
          }
        }
        out[l][i] = var;
        start = hi;
      }
    }
    return out;
  }

  @Test
  void referenceHessianIsSymmetric() {
    double max = 0;
    for (double[] row : hessian) {
      for (double x : row) {
        max = Math.max(max, Math.abs(x));
      }
    }
    for (int j = 0; j < hessian.length; j++) {
      for (int k = 0; k < j; k++) {
        assertThat(hessian[j][k]).isCloseTo(hessian[k][j], within(1e-6 * max));
      }
    }
  }

  @Test
  void exactModeMatchesReferenceTracesWithinTwoPercent() {
    HutchinsonProbe probe = HutchinsonProbe.builder().epsilon(1e-4).build();
    List<double[]> traces = probe.exactTraces(ProbeEvaluator.of(net, batch, 1), layers);
    double[][] reference = referenceTraces();
    for (int l = 0; l < reference.length; l++) {
      for (int i = 0; i < reference[l].length; i++) {
        assertThat(Math.abs(reference[l][i]))
            .as("layer %d neuron %d has curvature", l, i)
            .isGreaterThan(1e-6);
        assertThat(traces.get(l)[i])
            .as("layer %d neuron %d", l, i)
            .isCloseTo(reference[l][i], within(0.02 * Math.abs(reference[l][i])));
      }
    }
  }

  /**
   * Squared errors of Hutchinson estimates: four seeds of 64 probes each; each probe alone is an
   * n=1 estimate and the probes in disjoint groups of 16 are n=16 estimates (4 per seed), so both
   * sizes are measured on many independent estimates. Returns {mean squared error at n=1, at n=16}.
   */
  private static double[] squaredErrors(double[][] reference) {
    double single = 0;
    double grouped = 0;
    int singleCount = 0;
    int groupedCount = 0;
    for (long seed = 1; seed <= 4; seed++) {
      HutchinsonProbe probe = HutchinsonProbe.builder().probes(64).epsilon(1e-5).seed(seed).build();
      List<CurvatureSamples> samples = probe.sample(ProbeEvaluator.of(net, batch, 1), layers, 0);
      for (int l = 0; l < reference.length; l++) {
        double[][] s = samples.get(l).samples();
        for (int i = 0; i < reference[l].length; i++) {
          for (int g = 0; g < 4; g++) {
            double group = 0;
            for (int p = 16 * g; p < 16 * g + 16; p++) {
              group += s[p][i];
              double e = s[p][i] - reference[l][i];
              single += e * e;
              singleCount++;
            }
            double e = group / 16 - reference[l][i];
            grouped += e * e;
            groupedCount++;
          }
        }
      }
    }
    return new double[] {single / singleCount, grouped / groupedCount};
  }

  @Test
  void hutchinsonErrorShrinksLikeOneOverSquareRootOfProbes() {
    // 16× the probes: RMS error ÷ 4.
    assertThat(Math.sqrt(mse[0] / mse[1])).isBetween(2.8, 5.6);
  }

  @Test
  void hutchinsonErrorMatchesTheRademacherVarianceOfTheReferenceHessian() {
    double[][] variance = referenceVariances();
    double meanVariance = 0;
    int count = 0;
    for (double[] v : variance) {
      for (double x : v) {
        meanVariance += x;
        count++;
      }
    }
    meanVariance /= count;
    assertThat(mse[0] / meanVariance).as("n=1").isBetween(0.8, 1.25);
    assertThat(mse[1] / (meanVariance / 16)).as("n=16").isBetween(0.6, 1.6);
  }

  @Test
  void restoresParametersScoreAndInputExactly() {
    INDArray before = net.params().dup();
    net.setInput(batch.features());
    net.setLabels(batch.labels());
    net.computeGradientAndScore();
    double score = net.score();
    HutchinsonProbe.builder()
        .probes(3)
        .build()
        .sample(ProbeEvaluator.of(net, TinyNets.batch(3, 2, 4), 1), layers, 5);
    assertThat(net.params().equals(before)).isTrue();
    assertThat(net.score()).isEqualTo(score);
    assertThat(net.getInput()).isSameAs(batch.features());
  }

  @Test
  void successiveRoundsDrawFreshProbeVectorsAndSameRoundRepeats() {
    HutchinsonProbe probe = HutchinsonProbe.builder().probes(2).epsilon(1e-5).build();
    double[] a = probe.sample(ProbeEvaluator.of(net, batch, 1), layers, 1).get(0).mean();
    double[] b = probe.sample(ProbeEvaluator.of(net, batch, 1), layers, 1).get(0).mean();
    double[] c = probe.sample(ProbeEvaluator.of(net, batch, 1), layers, 2).get(0).mean();
    assertThat(b).containsExactly(a);
    assertThat(c).isNotEqualTo(a);
  }
}
