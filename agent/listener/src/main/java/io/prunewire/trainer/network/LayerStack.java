package io.prunewire.trainer.network;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A {@link MultiLayerNetwork}; layer indices are its own. */
record LayerStack(MultiLayerNetwork net) implements TrainedNetwork {

  @Override
  public Model model() {
    return net;
  }

  @Override
  public int iterationCount() {
    return net.getIterationCount();
  }

  @Override
  public List<PrunableLayer> prunableLayers(
      List<LayerAdapter> adapters, PrunableLayers.Selection which) {
    return PrunableLayers.find(net, adapters, which);
  }

  /**
   * The network's input and labels, and the masks as DL4J keeps them on the layers by the backward
   * pass: the features mask is gone from DL4J's recurrent layers by then, but the labels mask (or,
   * without one, the features mask DL4J carried forward) is on the output layer, as a column {@code
   * [batch·time, 1]} for a time-series output, returned here as {@code [batch, time]}. The features
   * mask is therefore null for a recurrent first layer: the observation pass runs a unidirectional
   * RNN over padded steps (which leaves the real steps' outputs unchanged) while the labels mask
   * keeps padded steps out of the loss, and the listener leaves the steps that mask marks out of
   * the summaries.
   */
  @Override
  public Optional<DataSet> trainingBatch() {
    INDArray features = net.getInput();
    INDArray labels = net.getLabels();
    if (features == null || labels == null) {
      return Optional.empty();
    }
    INDArray labelsMask = net.getOutputLayer().getMaskArray();
    if (labelsMask != null
        && labels.rank() == 3
        && labelsMask.rank() == 2
        && labelsMask.size(1) == 1) {
      labelsMask =
          TimeSeriesUtils.reshapeVectorToTimeSeriesMask(
              labelsMask, Math.toIntExact(labels.size(0)));
    }
    return Optional.of(new DataSet(features, labels, net.getLayer(0).getMaskArray(), labelsMask));
  }

  @Override
  public LayerGradients pass(DataSet batch, Set<Integer> wanted) {
    return LayerGradients.of(net, batch, wanted);
  }

  @Override
  public double loss(DataSet batch) {
    return restoring(() -> net.score(batch, false));
  }

  @Override
  public INDArray gradient(DataSet batch) {
    return restoring(
        () -> {
          net.setInput(batch.getFeatures());
          net.setLabels(batch.getLabels());
          net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
          net.computeGradientAndScore();
          net.clearLayerMaskArrays();
          return net.gradient().gradient();
        });
  }

  private <T> T restoring(Supplier<T> call) {
    double score = net.score();
    INDArray input = net.getInput();
    INDArray labels = net.getLabels();
    try {
      return call.get();
    } finally {
      net.setScore(score);
      net.setInput(input);
      net.setLabels(labels);
    }
  }
}
