package io.prunewire.trainer.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The RNN half of a hybrid layer, without bias (HSTNN):
 * {@code h_t = sigmoid(x_t·W_fc + h_{t-1}·W_fv)} with {@code W_fc [in, n]}, {@code W_fv [n, n]}
 * and {@code h_{-1}} the state carried in from the previous window (zeros when absent, and
 * treated as a constant: truncated BPTT). Backward:
 * <pre>
 *   ∂L/∂h_t = ε_t + δ_{t+1}·W_fvᵀ,   δ_t = ∂L/∂h_t ⊙ h_t ⊙ (1 − h_t)
 *   ∂L/∂W_fc += x_tᵀ·δ_t,   ∂L/∂W_fv += h_{t-1}ᵀ·δ_t,   ∂L/∂x_t = δ_t·W_fcᵀ
 * </pre>
 * All sequences are {@code [batch, size, time]} in 'f' order.
 */
final class SigmoidRecurrence {

  /** Hidden states {@code [batch, n, time]} from initial state {@code h0 [batch, n]} (nullable). */
  INDArray forward(INDArray x, INDArray wFc, INDArray wFv, INDArray h0) {
    long batch = x.size(0);
    long time = x.size(2);
    long n = wFc.size(1);
    INDArray h = Nd4j.createUninitialized(x.dataType(), new long[] {batch, n, time}, 'f');
    for (long t = 0; t < time; t++) {
      INDArray ht = h.get(all(), all(), point(t));
      Nd4j.gemm(x.get(all(), all(), point(t)), wFc, ht, false, false, 1.0, 0.0);
      INDArray prev = t > 0 ? h.get(all(), all(), point(t - 1)) : h0;
      if (prev != null) {
        Nd4j.gemm(prev, wFv, ht, false, false, 1.0, 1.0);
      }
      ht.assign(Transforms.sigmoid(ht, true));
    }
    return h;
  }

  /**
   * Accumulates into {@code gradFc}, {@code gradFv} and writes {@code ∂L/∂x} into {@code epsX},
   * going back at most {@code backLength} steps from the end ({@code ≤ 0}: all).
   */
  void backward(INDArray x, INDArray wFc, INDArray wFv, INDArray h0, INDArray h, INDArray epsH,
      INDArray gradFc, INDArray gradFv, INDArray epsX, int backLength) {
    long time = x.size(2);
    long end = backLength > 0 ? Math.max(0, time - backLength) : 0;
    INDArray deltaNext = null;
    for (long t = time - 1; t >= end; t--) {
      INDArray ht = h.get(all(), all(), point(t));
      INDArray dH = epsH.get(all(), all(), point(t)).dup('f');
      if (deltaNext != null) {
        Nd4j.gemm(deltaNext, wFv, dH, false, true, 1.0, 1.0);
      }
      INDArray delta = dH.muli(ht).muli(ht.rsub(1.0));
      Nd4j.gemm(x.get(all(), all(), point(t)), delta, gradFc, true, false, 1.0, 1.0);
      INDArray prev = t > 0 ? h.get(all(), all(), point(t - 1)) : h0;
      if (prev != null) {
        Nd4j.gemm(prev, delta, gradFv, true, false, 1.0, 1.0);
      }
      Nd4j.gemm(delta, wFc, epsX.get(all(), all(), point(t)), false, true, 1.0, 0.0);
      deltaNext = delta;
    }
  }
}
