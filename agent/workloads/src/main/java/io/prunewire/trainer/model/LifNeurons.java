package io.prunewire.trainer.model;

import static io.prunewire.trainer.model.TimeMajor.constant;
import static io.prunewire.trainer.model.TimeMajor.round;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spiking half of a hybrid layer: leaky integrate-and-fire neurons with hard reset (HSTNN). Per
 * step {@code t} with input {@code x_t [batch, in]} and weights {@code W [in, n]}:
 *
 * <pre>
 *   u_t = decay · u_{t-1} · (1 − s_{t-1}) + x_t·W        (u_{-1} = 0, s_{-1} = 0: reset per window)
 *   s_t = H(u_t − threshold)                              (H(0) = 0)
 * </pre>
 *
 * Backward is the autograd of that graph, reset path included, with the rectangular surrogate
 * {@code dH/du := 1 when |u − threshold| < halfWidth, else 0}:
 *
 * <pre>
 *   ∂L/∂s_t = ε_t − decay · u_t ⊙ δ_{t+1}
 *   δ_t     = ∂L/∂s_t ⊙ 1[|u_t − threshold| < halfWidth] + decay · (1 − s_t) ⊙ δ_{t+1}
 *   ∂L/∂W   = Σ_t x_tᵀ·δ_t,   ∂L/∂x_t = δ_t·Wᵀ
 * </pre>
 *
 * No weight enters the recurrence, so the input drive {@code x·W} of every step is one GEMM over
 * the window ({@link TimeMajor} rows), the recurrence is element-wise, and both gradients are one
 * GEMM each. Dimensionless membrane units.
 */
final class LifNeurons {
  private final double decay;
  private final double threshold;
  private final double halfWidth;

  LifNeurons(double decay, double threshold, double halfWidth) {
    this.decay = decay;
    this.threshold = threshold;
    this.halfWidth = halfWidth;
  }

  /** Membranes {@code u} and spikes {@code s}, time-major {@code [time·batch, n]} row-major. */
  record Trace(double[] membranes, double[] spikes, int batch, int neurons) {
    /** {@code u} of neuron {@code j} of sequence {@code b} at step {@code t}. */
    double membrane(int b, int j, int t) {
      return membranes[(t * batch + b) * neurons + j];
    }

    /** {@code s} of neuron {@code j} of sequence {@code b} at step {@code t}. */
    double spike(int b, int j, int t) {
      return spikes[(t * batch + b) * neurons + j];
    }
  }

  /** The trace of input rows {@code xRows [time·batch, in]} ({@link TimeMajor#rows}). */
  Trace forward(INDArray xRows, INDArray w, int batch) {
    int n = (int) w.size(1);
    boolean single = w.dataType() == DataType.FLOAT;
    double d = constant(decay, single);
    double theta = constant(threshold, single);
    double[] u = NativeMatrix.product(xRows, w, false).values();
    double[] s = new double[u.length];
    int block = batch * n;
    for (int k = 0; k < u.length; k++) {
      if (k >= block) {
        // one rounding per native op of the reference: (u·(1 − s))·decay, then + drive
        double leak = round(u[k - block] * (1 - s[k - block]) * d, single);
        u[k] = round(u[k] + leak, single);
      }
      s[k] = u[k] > theta ? 1 : 0;
    }
    return new Trace(u, s, batch, n);
  }

  /**
   * Adds {@code ∂L/∂W} to {@code gradW} and {@code ∂L/∂x} to {@code epsXRows} ({@code [time·batch,
   * in]}), given {@code ∂L/∂s} time-major; goes back at most {@code backLength} steps from the end
   * ({@code ≤ 0}: all).
   */
  void backward(
      INDArray xRows,
      INDArray w,
      Trace trace,
      double[] epsSpikes,
      INDArray gradW,
      INDArray epsXRows,
      int backLength) {
    boolean single = w.dataType() == DataType.FLOAT;
    double d = constant(decay, single);
    double[] u = trace.membranes();
    double[] s = trace.spikes();
    int block = trace.batch() * trace.neurons();
    int time = u.length / block;
    int end = backLength > 0 ? Math.max(0, time - backLength) : 0;
    double[] delta = new double[u.length];
    for (int t = time - 1; t >= end; t--) {
      for (int k = t * block; k < (t + 1) * block; k++) {
        double ds = epsSpikes[k];
        double carried = 0;
        if (t < time - 1) {
          double next = delta[k + block];
          ds = round(ds - round(round(u[k] * next, single) * d, single), single);
          carried = round(next * (1 - s[k]) * d, single);
        }
        delta[k] = round(ds * surrogate(u[k], single) + carried, single);
      }
    }
    INDArray deltaRows =
        TimeMajor.matrix(delta, u.length / trace.neurons(), trace.neurons(), w.dataType());
    // the whole window's weight gradient and input gradient: one GEMM each
    Nd4j.gemm(xRows, deltaRows, gradW, true, false, 1.0, 1.0);
    Nd4j.gemm(deltaRows, w, epsXRows, false, true, 1.0, 1.0);
  }

  /** {@code 1[|u − threshold| < halfWidth]}, in the network's precision. */
  double surrogate(double u, boolean single) {
    return Math.abs(round(u - constant(threshold, single), single)) < constant(halfWidth, single)
        ? 1
        : 0;
  }
}
