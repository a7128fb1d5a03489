package io.prunewire.trainer.gate;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Slices of a layer's flattened parameter (or gradient) view; slices share the view's buffer. */
public final class ParamViews {
  private ParamViews() {}

  /**
   * Elements {@code [offset, offset + rows·cols)} of {@code flat} as an 'f'-ordered {@code [rows,
   * cols]} view.
   */
  public static INDArray matrix(INDArray flat, long offset, long rows, long cols) {
    INDArray range =
        flat.rank() == 1
            ? flat.get(NDArrayIndex.interval(offset, offset + rows * cols))
            : flat.get(
                NDArrayIndex.interval(0, 0, true),
                NDArrayIndex.interval(offset, offset + rows * cols));
    return range.reshape('f', rows, cols);
  }
}
