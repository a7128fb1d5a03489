package io.prunewire.trainer.probe;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fixed batch on which probes measure loss, gradients and curvature. Probes must see the same
 * batch at every call so that their measurements are comparable across checkpoints.
 *
 * @param features network input
 * @param labels targets
 * @param featuresMask per-time-step input mask, or {@code null}
 * @param labelsMask per-time-step label mask, or {@code null}
 */
public record ProbeBatch(
    INDArray features, INDArray labels, INDArray featuresMask, INDArray labelsMask) {

  public ProbeBatch {
    Objects.requireNonNull(features, "probe batch features");
    Objects.requireNonNull(labels, "probe batch labels");
    if (features.size(0) != labels.size(0)) {
      throw new IllegalArgumentException(
          "probe batch: features have "
              + features.size(0)
              + " examples but labels have "
              + labels.size(0));
    }
  }

  /** A batch without masks. */
  public static ProbeBatch of(INDArray features, INDArray labels) {
    return new ProbeBatch(features, labels, null, null);
  }
}
