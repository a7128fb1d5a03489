package io.prunewire.trainer.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The spiking half of a hybrid layer: leaky integrate-and-fire neurons with hard reset (HSTNN).
 * Per step {@code t} with input {@code x_t [batch, in]} and weights {@code W [in, n]}:
 * <pre>
 *   u_t = decay · u_{t-1} · (1 − s_{t-1}) + x_t·W        (u_{-1} = 0, s_{-1} = 0: reset per window)
 *   s_t = H(u_t − threshold)                              (H(0) = 0)
 * </pre>
 * Backward is the autograd of that graph, reset path included, with the rectangular surrogate
 * {@code dH/du := 1 when |u − threshold| < halfWidth, else 0}:
 * <pre>
 *   ∂L/∂s_t = ε_t − decay · u_t ⊙ δ_{t+1}
 *   δ_t     = ∂L/∂s_t ⊙ 1[|u_t − threshold| < halfWidth] + decay · (1 − s_t) ⊙ δ_{t+1}
 *   ∂L/∂W  += x_tᵀ·δ_t,   ∂L/∂x_t = δ_t·Wᵀ
 * </pre>
 * All arrays are {@code [batch, size, time]} in 'f' order; dimensionless membrane units.
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

  /** Membranes {@code u} and spikes {@code s}, each {@code [batch, n, time]}. */
  record Trace(INDArray membranes, INDArray spikes) {}

  Trace forward(INDArray x, INDArray w) {
    long batch = x.size(0);
    long time = x.size(2);
    long n = w.size(1);
    INDArray mem = Nd4j.createUninitialized(x.dataType(), new long[] {batch, n, time}, 'f');
    INDArray spikes = Nd4j.createUninitialized(x.dataType(), new long[] {batch, n, time}, 'f');
    for (long t = 0; t < time; t++) {
      INDArray u = mem.get(all(), all(), point(t));
      Nd4j.gemm(x.get(all(), all(), point(t)), w, u, false, false, 1.0, 0.0);
      if (t > 0) {
        INDArray uPrev = mem.get(all(), all(), point(t - 1));
        INDArray sPrev = spikes.get(all(), all(), point(t - 1));
        u.addi(uPrev.mul(sPrev.rsub(1.0)).muli(decay));
      }
      spikes.get(all(), all(), point(t)).assign(u.gt(threshold).castTo(x.dataType()));
    }
    return new Trace(mem, spikes);
  }

  /**
   * Accumulates {@code ∂L/∂W} into {@code gradW} and writes {@code ∂L/∂x} into {@code epsX}
   * (both pre-allocated, {@code epsX} 'f' ordered), going back at most {@code backLength} steps
   * from the end ({@code ≤ 0}: all).
   */
  void backward(INDArray x, INDArray w, Trace trace, INDArray epsSpikes, INDArray gradW, INDArray epsX,
      int backLength) {
    long time = x.size(2);
    long end = backLength > 0 ? Math.max(0, time - backLength) : 0;
    INDArray deltaNext = null;
    for (long t = time - 1; t >= end; t--) {
      INDArray u = trace.membranes().get(all(), all(), point(t));
      INDArray s = trace.spikes().get(all(), all(), point(t));
      INDArray dS = epsSpikes.get(all(), all(), point(t)).dup('f');
      if (deltaNext != null) {
        dS.subi(u.mul(deltaNext).muli(decay));
      }
      INDArray delta = dS.muli(surrogate(u));
      if (deltaNext != null) {
        delta.addi(deltaNext.mul(s.rsub(1.0)).muli(decay));
      }
      Nd4j.gemm(x.get(all(), all(), point(t)), delta, gradW, true, false, 1.0, 1.0);
      Nd4j.gemm(delta, w, epsX.get(all(), all(), point(t)), false, true, 1.0, 0.0);
      deltaNext = delta;
    }
  }

  /** {@code 1[|u − threshold| < halfWidth]} in the dtype of {@code u}. */
  INDArray surrogate(INDArray u) {
    return Transforms.abs(u.sub(threshold)).lt(halfWidth).castTo(u.dataType());
  }
}
