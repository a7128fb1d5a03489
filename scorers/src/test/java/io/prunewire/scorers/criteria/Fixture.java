package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.scorers.stats.WeightStatistics;

/** A small hand-written layer of 4 neurons with every kind of evidence, and its raw data. */
final class Fixture {
  static final int N = 4;
  static final int FAN_IN = 3;

  /** Incoming weights {@code [fanIn, N]}: column i belongs to neuron i. */
  static final float[] INCOMING = {
    1, 0, 0.5f, -2,
    2, 0, 0.5f, 1,
    2, 3, -0.5f, 0
  };

  static final int FAN_OUT = 2;
  static final float[] OUTGOING = {1, -1, 0, 2, 0.5f, 0.5f, -3, 1};

  /** Activations {@code [6, N]}: neuron 0 spikes, 1 is silent, 2 and 3 are graded. */
  static final double[] ACTIVATIONS = {
    1, 0, 0.2, 0.9,
    0, 0, 0.4, 0.7,
    1, 0, 0.6, 0.2,
    1, 0, 0.8, 0.1,
    0, 0, 0.5, 0.5,
    1, 0, 0.3, 0.6
  };

  /** Two gradient windows of 2 rows each. */
  static final double[] GRADIENT_WINDOW_1 = {0.5, 0, -1, 2, 1.5, 0, 1, 2};

  static final double[] GRADIENT_WINDOW_2 = {0.5, 0, -3, -2, -0.5, 0, 1, 2};
  static final double[][] GATES = {{2, 0, -1, 0.5}, {4, 0, 1, 0.5}, {0, 0, -3, 0.5}};
  static final double[][] PROBES = {{2, 0, -1, 0.5}, {4, 1, -2, 1.5}};

  private Fixture() {}

  static double[] column(float[] matrix, int rows, int cols, int i) {
    double[] w = new double[rows];
    for (int j = 0; j < rows; j++) {
      w[j] = matrix[j * cols + i];
    }
    return w;
  }

  static double[] neuron(double[] rows, int i) {
    double[] x = new double[rows.length / N];
    for (int r = 0; r < x.length; r++) {
      x[r] = rows[r * N + i];
    }
    return x;
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / x.length;
  }

  static double[] concat(double[] a, double[] b) {
    double[] out = new double[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Weight statistics of a random {@code [8, n]} incoming and {@code [n, 3]} outgoing matrix. */
  static WeightStatistics weightsFor(int n, java.util.Random random) {
    float[] in = new float[8 * n];
    float[] out = new float[n * 3];
    for (int j = 0; j < in.length; j++) {
      in[j] = (float) random.nextGaussian();
    }
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) random.nextGaussian();
    }
    return WeightStatistics.of(in, 8, n, out, 3);
  }

  static LayerEvidence full() {
    LayerEvidence evidence = new LayerEvidence("hybrid1", N);
    evidence.update(7, WeightStatistics.of(INCOMING, FAN_IN, N, OUTGOING, FAN_OUT));
    ActivationSummary activation =
        ActivationSummary.empty(N, new ActivationSummary.Spec(0, 1, 4, N, 3));
    activation.addRows(ACTIVATIONS);
    evidence.merge(activation);
    GradientSummary gradient = GradientSummary.empty(N);
    gradient.addRows(GRADIENT_WINDOW_1);
    gradient.addRows(GRADIENT_WINDOW_2);
    for (double[] z : GATES) {
      gradient.addGate(z);
    }
    evidence.merge(gradient);
    CurvatureSummary curvature = CurvatureSummary.empty(N);
    for (double[] p : PROBES) {
      curvature.addProbe(p);
    }
    evidence.merge(curvature);
    return evidence;
  }
}
