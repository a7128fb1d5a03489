package io.prunewire.trainer.network;

import io.prunewire.trainer.model.PrunableLayer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A {@link MultiLayerNetwork}; layer indices are its own. */
record LayerStack(MultiLayerNetwork net) implements TrainedNetwork {

  @Override
  public Model model() {
    return net;
  }

  @Override
  public Layer[] layers() {
    return net.getLayers();
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
   * The network's input and labels; the masks as DL4J set them on the layers for this batch (the
   * features mask as the first layer holds it, the labels mask on the output layer).
   */
  @Override
  public Optional<DataSet> trainingBatch() {
    if (net.getInput() == null || net.getLabels() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DataSet(
            net.getInput(),
            net.getLabels(),
            net.getLayer(0).getMaskArray(),
            net.getOutputLayer().getMaskArray()));
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
