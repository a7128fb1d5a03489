package io.prunewire.trainer.listener;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Accumulates one prunable layer's activation and gradient summaries between publications. Its
 * neurons are columns {@code [gateOffset, gateOffset + neurons)} of its gate's arrays.
 */
final class LayerStream {

  private final PrunableLayer layer;
  private final ActivationSummary.Spec spec;
  private ActivationSummary activations;
  private GradientSummary gradients;

  LayerStream(PrunableLayer layer, ActivationSummary.Spec spec) {
    this.layer = layer;
    this.spec = spec;
    reset();
  }

  PrunableLayer layer() {
    return layer;
  }

  /**
   * Takes one sampled batch inside the gate's backward pass, while the arrays are valid: copies
   * this layer's columns here and reduces them on {@code worker}, in order, so that the training
   * thread pays for the copies only. Read the summaries only after the worker has drained.
   *
   * @param a gate output {@code [batch, gateNeurons, time]}
   * @param epsilon {@code ∂L/∂a}, same shape
   * @param gateGradient {@code [1, gateNeurons]}: {@code z_i = Σ_{batch,time} a_i·∂L/∂a_i}
   * @param steps the batch's features mask {@code [batch, time]} (0 marks a padded time step, which
   *     is left out of the summaries), or null
   */
  void observe(
      INDArray a, INDArray epsilon, INDArray gateGradient, INDArray steps, InOrderWorker worker) {
    float[] activationRows = rows(a, steps);
    float[] gradientRows = rows(epsilon, steps);
    double[] z =
        gateGradient.get(NDArrayIndex.point(0), columns()).castTo(DataType.DOUBLE).toDoubleVector();
    worker.submit(
        () -> {
          activations.addRows(activationRows);
          gradients.addRows(gradientRows);
          gradients.addGate(z);
        });
  }

  /** True when at least one batch was observed since the last {@link #reset()}. */
  boolean hasSamples() {
    return activations.value().count() > 0;
  }

  ActivationSummary activations() {
    return activations;
  }

  GradientSummary gradients() {
    return gradients;
  }

  void reset() {
    activations = ActivationSummary.empty(layer.neurons(), spec);
    gradients = GradientSummary.empty(layer.neurons());
  }

  /**
   * This layer's columns as row-major {@code [batch·time, neurons]} floats, without the rows of
   * time steps that {@code steps} marks as padding (when it matches {@code x}'s batch and time).
   */
  private float[] rows(INDArray x, INDArray steps) {
    if (x.rank() != 3) {
      return x.get(NDArrayIndex.all(), columns()).dup('c').data().asFloat();
    }
    INDArray mine =
        x.get(NDArrayIndex.all(), columns(), NDArrayIndex.all())
            .permute(0, 2, 1)
            .dup('c')
            .reshape('c', x.size(0) * x.size(2), layer.neurons());
    if (steps != null
        && steps.rank() == 2
        && steps.size(0) == x.size(0)
        && steps.size(1) == x.size(2)) {
      // row b·time + t of mine is step t of example b, as element (b, t) of the c-ordered mask
      double[] keep = steps.dup('c').data().asDouble();
      int[] real = IntStream.range(0, keep.length).filter(r -> keep[r] != 0).toArray();
      if (real.length == 0) {
        return new float[0];
      }
      if (real.length < keep.length) {
        mine = mine.getRows(real);
      }
    }
    return mine.dup('c').data().asFloat();
  }

  private INDArrayIndex columns() {
    return NDArrayIndex.interval(layer.gateOffset(), layer.gateOffset() + layer.neurons());
  }
}
