package io.prunewire.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hybrid layer's working layout: a sequence {@code [batch, features, time]} (DL4J's NCW) as a
 * time-major matrix {@code [time·batch, features]}, row {@code t·batch + b}. In this layout the
 * rows of one time step are contiguous, so the input projections of a whole window and the weight
 * gradients summed over it are single GEMMs, and the per-step element-wise recurrences run over
 * plain arrays instead of one native op dispatch per step and operation.
 */
final class TimeMajor {
  private TimeMajor() {}

  /**
   * {@code [batch, features, time]} → {@code [time·batch, features]}, 'c' order, same data type.
   */
  static INDArray rows(INDArray ncw) {
    long batch = ncw.size(0);
    long time = ncw.size(2);
    return ncw.permute(2, 0, 1).dup('c').reshape('c', time * batch, ncw.size(1));
  }

  /** {@code [time·batch, features]} → a {@code [batch, features, time]} view of the same data. */
  static INDArray ncw(INDArray rows, long batch) {
    long time = rows.size(0) / batch;
    return rows.reshape('c', time, batch, rows.size(1)).permute(1, 2, 0);
  }

  /** The values of a matrix in row-major order, as doubles. */
  static double[] values(INDArray matrix) {
    NativeMatrix m = NativeMatrix.of((int) matrix.size(0), (int) matrix.size(1), matrix.dataType());
    m.array().assign(matrix);
    return m.values();
  }

  /** A {@code [rows, columns]} row-major matrix of {@code values} in {@code type}. */
  static INDArray matrix(double[] values, int rows, int columns, DataType type) {
    return NativeMatrix.of(values, 0, rows, columns, type).array();
  }

  /**
   * {@code v} rounded to the network's precision: every element-wise operation of the kernels
   * rounds its result as the native float32 ops did, so a float network computes the same values.
   */
  static double round(double v, boolean single) {
    return single ? (float) v : v;
  }

  /** A constant as the network's precision sees it (a float32 op scales by {@code (float) c}). */
  static double constant(double c, boolean single) {
    return single ? (float) c : c;
  }
}
