package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.GateLayerInstance;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clips the gradient to a maximum global L2 norm before the updater sees it, as PyTorch's {@code
 * clip_grad_norm_}: {@code g ← g · min(1, maxNorm / ‖g‖₂)} with the norm over all trainable
 * parameters (DL4J only offers per-layer clipping). Gate parameters are excluded: they are
 * instrumentation, never updated, and must not shrink the real gradient.
 */
final class GlobalNormClipping extends BaseTrainingListener {
  private final double maxNorm;

  GlobalNormClipping(double maxNorm) {
    this.maxNorm = maxNorm;
  }

  @Override
  public void onGradientCalculation(Model model) {
    Layer[] layers = ((MultiLayerNetwork) model).getLayers();
    double sumSquares = 0;
    for (Layer layer : layers) {
      INDArray g = trainable(layer);
      if (g != null) {
        double n = g.norm2Number().doubleValue();
        sumSquares += n * n;
      }
    }
    double norm = Math.sqrt(sumSquares);
    if (norm > maxNorm) {
      double scale = maxNorm / (norm + 1e-6);
      for (Layer layer : layers) {
        INDArray g = trainable(layer);
        if (g != null) {
          g.muli(scale);
        }
      }
    }
  }

  private static INDArray trainable(Layer layer) {
    return layer instanceof GateLayerInstance || layer.numParams() == 0
        ? null
        : layer.getGradientsViewArray();
  }
}
