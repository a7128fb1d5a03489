package io.prunewire.trainer.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@code [rows, columns]} row-major ND4J matrix allocated outside every workspace, whose values
 * Java reads and writes directly in native memory. The hybrid layer's kernels hand such matrices to
 * BLAS and do their element-wise work in Java, so a recurrence step costs one native call (its
 * GEMM) instead of one per element-wise operation.
 */
final class NativeMatrix {
  private final INDArray array;
  private final FloatBuffer floats;
  private final DoubleBuffer doubles;

  private NativeMatrix(INDArray array) {
    this.array = array;
    boolean single = array.dataType() == DataType.FLOAT;
    this.floats = single ? array.data().asNioFloat() : null;
    this.doubles = single ? null : array.data().asNioDouble();
  }

  /** An uninitialised matrix of {@code type} (FLOAT or DOUBLE). */
  static NativeMatrix of(int rows, int columns, DataType type) {
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException(
          "the hybrid layer computes in FLOAT or DOUBLE, not " + type);
    }
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return new NativeMatrix(Nd4j.createUninitialized(type, new long[] {rows, columns}, 'c'));
    }
  }

  /** Rows {@code [from / columns, …)} of the row-major {@code values}, {@code rows} of them. */
  static NativeMatrix of(double[] values, int from, int rows, int columns, DataType type) {
    NativeMatrix m = of(rows, columns, type);
    m.copyFrom(values, from);
    return m;
  }

  /** {@code a·b} (with {@code b} transposed when asked), in a new matrix. */
  static NativeMatrix product(INDArray a, INDArray b, boolean transposeB) {
    NativeMatrix m = of((int) a.size(0), (int) (transposeB ? b.size(0) : b.size(1)), a.dataType());
    m.assignProduct(a, b, transposeB);
    return m;
  }

  /** This matrix := {@code a·b} (one GEMM). */
  void assignProduct(INDArray a, INDArray b, boolean transposeB) {
    Nd4j.gemm(a, b, array, false, transposeB, 1.0, 0.0);
  }

  INDArray array() {
    return array;
  }

  int size() {
    return (int) array.length();
  }

  double get(int k) {
    return floats != null ? floats.get(k) : doubles.get(k);
  }

  void set(int k, double v) {
    if (floats != null) {
      floats.put(k, (float) v);
    } else {
      doubles.put(k, v);
    }
  }

  /** Copies {@code size()} values of {@code values} from index {@code from} in. */
  void copyFrom(double[] values, int from) {
    int n = size();
    if (floats != null) {
      for (int k = 0; k < n; k++) {
        floats.put(k, (float) values[from + k]);
      }
    } else {
      doubles.put(0, values, from, n);
    }
  }

  /** The values, row-major, as doubles. */
  double[] values() {
    double[] v = new double[size()];
    if (floats != null) {
      for (int k = 0; k < v.length; k++) {
        v[k] = floats.get(k);
      }
    } else {
      doubles.get(0, v);
    }
    return v;
  }
}
