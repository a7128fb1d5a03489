package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spiking half: forward on hand-made inputs, and reverse-mode backward against an independent
 * forward-mode (tangent) propagation of the same graph with dH/du := the rectangular surrogate.
 */
class LifNeuronsTest {
  private static final double DECAY = 0.6;
  private static final double THRESHOLD = 0.6;
  private static final double HALF_WIDTH = 0.5;
  private final LifNeurons lif = new LifNeurons(DECAY, THRESHOLD, HALF_WIDTH);

  @Test
  void integratesFiresAndHardResetsOnHandMadeInput() {
    // one neuron, identity weight, currents 0.4, 0.4, 0.4, 0.0 over four steps
    INDArray x = sequence(new double[] {0.4, 0.4, 0.4, 0.0});
    INDArray w = Nd4j.ones(DataType.DOUBLE, 1, 1).dup('f');
    LifNeurons.Trace trace = lif.forward(TimeMajor.rows(x), w, 1);
    // u0 = 0.4 (no spike); u1 = 0.6*0.4 + 0.4 = 0.64 > 0.6 spike; u2 = 0.6*0.64*(1-1) + 0.4 = 0.4;
    // u3 = 0.24
    assertThat(trace.membranes())
        .containsExactly(new double[] {0.4, 0.64, 0.4, 0.24}, within(1e-12));
    assertThat(trace.spikes()).containsExactly(0.0, 1.0, 0.0, 0.0);
  }

  @Test
  void exactlyAtThresholdDoesNotSpike() {
    LifNeurons.Trace trace =
        lif.forward(
            TimeMajor.rows(sequence(new double[] {0.6})), Nd4j.ones(DataType.DOUBLE, 1, 1), 1);
    assertThat(trace.spikes()[0]).isZero();
  }

  @Test
  void surrogateIsTheRectangularWindow() {
    double[] u = {0.1, 0.1000001, 0.6, 1.0999999, 1.1, -2.0, 3.0};
    assertThat(java.util.Arrays.stream(u).map(v -> lif.surrogate(v, false)).toArray())
        .containsExactly(0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0);
    // in float32 the window is the float constants' window: 0.6f − 0.5f rounds above 0.1
    assertThat(lif.surrogate(0.1f, true)).isZero();
    assertThat(lif.surrogate(1.0999999f, true)).isOne();
  }

  @Test
  void backwardEqualsForwardModePropagationOfTheSurrogateGraph() {
    Random random = new Random(5);
    int batch = 2, in = 3, n = 4, time = 7;
    INDArray x = fill(random, 0.8, batch, in, time);
    INDArray w = fill(random, 0.8, in, n);
    INDArray eps = fill(random, 1.0, batch, n, time);
    LifNeurons.Trace trace = lif.forward(TimeMajor.rows(x), w, batch);
    double fired = java.util.Arrays.stream(trace.spikes()).sum();
    assertThat(fired).as("the input must make some neurons fire").isGreaterThan(3);
    assertThat(fired).isLessThan(batch * n * time - 3);

    INDArray gradW = Nd4j.zeros(DataType.DOUBLE, in, n).dup('f');
    INDArray epsXRows = Nd4j.zeros(DataType.DOUBLE, (long) time * batch, in);
    lif.backward(
        TimeMajor.rows(x), w, trace, TimeMajor.values(TimeMajor.rows(eps)), gradW, epsXRows, -1);
    INDArray epsX = TimeMajor.ncw(epsXRows, batch);

    for (int i = 0; i < in; i++) {
      for (int j = 0; j < n; j++) {
        assertThat(gradW.getDouble(i, j))
            .as("dL/dW[%d,%d]", i, j)
            .isCloseTo(tangentWrtWeight(x, w, trace, eps, i, j), within(1e-12));
      }
    }
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < in; i++) {
        for (int s = 0; s < time; s++) {
          assertThat(epsX.getDouble(b, i, s))
              .as("dL/dx[%d,%d,%d]", b, i, s)
              .isCloseTo(tangentWrtInput(x, w, trace, eps, b, i, s), within(1e-12));
        }
      }
    }
  }

  @Test
  void aFloatNetworkComputesWhatFloat32OperationsCompute() {
    // the native float32 ops of the per-step implementation: fl(fl(u·(1 − s))·0.6f) then fl(drive +
    // leak)
    Random random = new Random(9);
    int batch = 3, in = 4, n = 5, time = 9;
    INDArray x = fill(random, 0.8, batch, in, time).castTo(DataType.FLOAT);
    INDArray w = fill(random, 0.8, in, n).castTo(DataType.FLOAT);
    INDArray rows = TimeMajor.rows(x);
    LifNeurons.Trace trace = lif.forward(rows, w, batch);
    float[] drive = rows.mmul(w).dup('c').data().asFloat();
    float[] u = new float[drive.length];
    float[] s = new float[drive.length];
    int block = batch * n;
    for (int k = 0; k < drive.length; k++) {
      u[k] = k < block ? drive[k] : drive[k] + (u[k - block] * (1f - s[k - block])) * 0.6f;
      s[k] = u[k] > 0.6f ? 1f : 0f;
    }
    for (int k = 0; k < u.length; k++) {
      assertThat(trace.membranes()[k]).as("u[%d]", k).isEqualTo((double) u[k]);
      assertThat(trace.spikes()[k]).as("s[%d]", k).isEqualTo((double) s[k]);
    }
  }

  /** Σ_t ε·ds/dW_ij, propagating du/dW_ij forward in time with ds = surrogate(u)·du. */
  private double tangentWrtWeight(
      INDArray x, INDArray w, LifNeurons.Trace trace, INDArray eps, int i, int j) {
    double total = 0;
    for (long b = 0; b < x.size(0); b++) {
      double du = 0;
      double ds = 0;
      for (long t = 0; t < x.size(2); t++) {
        double direct = x.getDouble(b, i, t);
        du = t == 0 ? direct : recur(trace, b, j, t, du, ds) + direct;
        ds = surrogate(trace.membrane((int) b, j, (int) t)) * du;
        total += eps.getDouble(b, j, t) * ds;
      }
    }
    return total;
  }

  /** Σ_t ε·ds/dx_{b,i,s}; only neurons of batch row b at steps ≥ s move. */
  private double tangentWrtInput(
      INDArray x, INDArray w, LifNeurons.Trace trace, INDArray eps, int b, int i, int s) {
    double total = 0;
    for (int j = 0; j < w.size(1); j++) {
      double du = 0;
      double ds = 0;
      for (long t = s; t < x.size(2); t++) {
        double direct = t == s ? w.getDouble(i, j) : 0;
        du = t == s ? direct : recur(trace, b, j, t, du, ds);
        ds = surrogate(trace.membrane((int) b, j, (int) t)) * du;
        total += eps.getDouble(b, j, t) * ds;
      }
    }
    return total;
  }

  /** Tangent of decay·u_{t-1}·(1 − s_{t-1}) given the tangents of u_{t-1} and s_{t-1}. */
  private static double recur(LifNeurons.Trace trace, long b, int j, long t, double du, double ds) {
    double uPrev = trace.membrane((int) b, j, (int) t - 1);
    double sPrev = trace.spike((int) b, j, (int) t - 1);
    return DECAY * (du * (1 - sPrev) - uPrev * ds);
  }

  private static double surrogate(double u) {
    return Math.abs(u - THRESHOLD) < HALF_WIDTH ? 1 : 0;
  }

  private static INDArray sequence(double[] currents) {
    INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1, currents.length).dup('f');
    for (int t = 0; t < currents.length; t++) {
      x.putScalar(new long[] {0, 0, t}, currents[t]);
    }
    return x;
  }

  private static INDArray fill(Random random, double scale, long... shape) {
    INDArray a = Nd4j.zeros(DataType.DOUBLE, shape).dup('f');
    for (long k = 0; k < a.length(); k++) {
      a.putScalar(k, scale * (random.nextDouble() * 2 - 0.5));
    }
    return a;
  }
}
