package io.prunewire.trainer.model;

import static io.prunewire.trainer.model.TimeMajor.round;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The RNN half of a hybrid layer, without bias (HSTNN): {@code h_t = sigmoid(x_t·W_fc +
 * h_{t-1}·W_fv)} with {@code W_fc [in, n]}, {@code W_fv [n, n]} and {@code h_{-1}} the state
 * carried in from the previous window (zeros when absent, and treated as a constant: truncated
 * BPTT). Backward:
 *
 * <pre>
 *   ∂L/∂h_t = ε_t + δ_{t+1}·W_fvᵀ,   δ_t = ∂L/∂h_t ⊙ h_t ⊙ (1 − h_t)
 *   ∂L/∂W_fc = Σ_t x_tᵀ·δ_t,   ∂L/∂W_fv = Σ_t h_{t-1}ᵀ·δ_t,   ∂L/∂x_t = δ_t·W_fcᵀ
 * </pre>
 *
 * Only the recurrent products are per step; the input projection and the three gradients are one
 * GEMM each over the window's time-major rows ({@link TimeMajor}). States are time-major {@code
 * [time·batch, n]} row-major arrays.
 */
final class SigmoidRecurrence {

  /**
   * Hidden states of input rows {@code xRows [time·batch, in]} from {@code h0 [batch·n]}
   * (nullable).
   */
  double[] forward(INDArray xRows, INDArray wFc, INDArray wFv, double[] h0, int batch) {
    int n = (int) wFc.size(1);
    DataType type = wFc.dataType();
    boolean single = type == DataType.FLOAT;
    double[] h = NativeMatrix.product(xRows, wFc, false).values();
    int block = batch * n;
    NativeMatrix previous = NativeMatrix.of(batch, n, type);
    NativeMatrix recurrent = NativeMatrix.of(batch, n, type);
    for (int start = 0; start < h.length; start += block) {
      boolean carried = start > 0 || h0 != null;
      if (carried) {
        previous.copyFrom(start > 0 ? h : h0, start > 0 ? start - block : 0);
        recurrent.assignProduct(previous.array(), wFv, false);
      }
      for (int k = 0; k < block; k++) {
        double z = carried ? round(h[start + k] + recurrent.get(k), single) : h[start + k];
        h[start + k] = round(1 / (1 + Math.exp(-z)), single);
      }
    }
    return h;
  }

  /**
   * Adds the weight gradients to {@code gradFc}, {@code gradFv} and {@code ∂L/∂x} to {@code
   * epsXRows}, given {@code ∂L/∂h} time-major; goes back at most {@code backLength} steps from the
   * end ({@code ≤ 0}: all).
   */
  void backward(
      INDArray xRows,
      INDArray wFc,
      INDArray wFv,
      double[] h0,
      double[] h,
      double[] epsH,
      INDArray gradFc,
      INDArray gradFv,
      INDArray epsXRows,
      int batch,
      int backLength) {
    int n = (int) wFc.size(1);
    DataType type = wFc.dataType();
    boolean single = type == DataType.FLOAT;
    int block = batch * n;
    int time = h.length / block;
    int end = backLength > 0 ? Math.max(0, time - backLength) : 0;
    double[] delta = new double[h.length];
    NativeMatrix next = NativeMatrix.of(batch, n, type);
    NativeMatrix carried = NativeMatrix.of(batch, n, type);
    for (int t = time - 1; t >= end; t--) {
      boolean last = t == time - 1;
      if (!last) {
        next.copyFrom(delta, (t + 1) * block);
        carried.assignProduct(next.array(), wFv, true);
      }
      for (int i = 0; i < block; i++) {
        int k = t * block + i;
        double dh = last ? epsH[k] : round(epsH[k] + carried.get(i), single);
        delta[k] = round(round(dh * h[k], single) * round(1 - h[k], single), single);
      }
    }
    int rows = time * batch;
    INDArray deltaRows = TimeMajor.matrix(delta, rows, n, type);
    Nd4j.gemm(xRows, deltaRows, gradFc, true, false, 1.0, 1.0);
    double[] previous = new double[h.length];
    if (h0 != null) {
      System.arraycopy(h0, 0, previous, 0, block);
    }
    System.arraycopy(h, 0, previous, block, h.length - block);
    Nd4j.gemm(TimeMajor.matrix(previous, rows, n, type), deltaRows, gradFv, true, false, 1.0, 1.0);
    Nd4j.gemm(deltaRows, wFc, epsXRows, false, true, 1.0, 1.0);
  }
}
