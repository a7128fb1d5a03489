package io.prunewire.trainer.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Rescales DL4J's gradient to the gradient of the mean loss per token, the reference's objective.
 * DL4J backpropagates the summed loss {@code Σ_{batch,time} nll}; dividing by {@code batch × time}
 * before clipping and the update gives the gradient of the mean. The networks are built with {@code
 * miniBatch(false)} so that DL4J does not divide by the batch again.
 */
final class PerTokenGradient extends BaseTrainingListener {
  @Override
  public void onGradientCalculation(Model model) {
    MultiLayerNetwork network = (MultiLayerNetwork) model;
    network.gradient().gradient().divi(tokens(network));
  }

  /** Tokens in the network's current input {@code [batch, 1, time]}. */
  static long tokens(MultiLayerNetwork network) {
    return network.getInput().size(0) * network.getInput().size(2);
  }
}
