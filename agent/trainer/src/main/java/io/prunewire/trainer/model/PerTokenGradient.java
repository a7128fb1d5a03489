package io.prunewire.trainer.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Rescales DL4J's gradient to the gradient of the mean loss per token, the reference's objective.
 * DL4J's sequence score is {@code Σ_{batch,time} nll / batch}, i.e. {@code time} times the mean
 * per-token loss, so its gradient is divided by the window length before clipping and the update.
 */
final class PerTokenGradient extends BaseTrainingListener {
  @Override
  public void onGradientCalculation(Model model) {
    MultiLayerNetwork network = (MultiLayerNetwork) model;
    long time = network.getInput().size(2);
    network.gradient().gradient().divi(time);
  }
}
