package io.prunewire.trainer.network;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each chosen layer's output {@code a_l} and {@code ε_l = ∂L/∂a_l} on one batch, where {@code L} is
 * the output layer's summed loss over the batch (DL4J's score times the batch size when {@code
 * miniBatch} is on; no regularisation). DL4J keeps neither inside {@code fit}, so this runs its own
 * pass through the public layer API: a forward pass layer by layer (with every input preprocessor),
 * then back from the output layer, where {@code ε_l} is what layer {@code l + 1} (through its
 * preprocessor) sends down. Dropout is off for the pass, so it is deterministic. Afterwards the
 * network's gradient view holds the pass's parameter gradients; {@link #of} puts the training
 * gradient back.
 *
 * @param activations {@code a_l} per layer index, detached: {@code [batch, n]} or {@code [batch, n,
 *     time]}
 * @param gradients {@code ε_l} per layer index, same shapes
 */
public record LayerGradients(Map<Integer, INDArray> activations, Map<Integer, INDArray> gradients) {

  /**
   * The pass on {@code features} and {@code labels} for the layers {@code wanted}; the network's
   * parameters, gradient view and input are left as they were.
   */
  public static LayerGradients of(
      MultiLayerNetwork net, INDArray features, INDArray labels, Set<Integer> wanted) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    int n = net.getnLayers();
    if (!(net.getLayer(n - 1) instanceof IOutputLayer out)) {
      throw new IllegalArgumentException("the last layer is not an output layer");
    }
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    if (net.getGradientsViewArray() == null) {
      // Layers write their parameter gradients into views DL4J creates at the first fit.
      net.initGradientsView();
    }
    INDArray gradientView = net.getGradientsViewArray();
    INDArray savedGradient = gradientView.dup();
    Map<Integer, IDropout> dropouts = new HashMap<>();
    Layer[] layers = net.getLayers();
    for (int i = 0; i < n; i++) {
      org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
      dropouts.put(i, conf.getIDropout());
      conf.setIDropout(null);
    }
    int batch = Math.toIntExact(features.size(0));
    Map<Integer, INDArray> activations = new HashMap<>();
    Map<Integer, INDArray> gradients = new HashMap<>();
    try {
      INDArray x = features;
      for (int i = 0; i < n; i++) {
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
        if (pre != null) {
          x = pre.preProcess(x, batch, mgr);
        }
        layers[i].setInput(x, mgr);
        if (i < n - 1) {
          x = layers[i].activate(true, mgr);
          if (wanted.contains(i)) {
            activations.put(i, x.detach());
          }
        }
      }
      int lowest = wanted.stream().mapToInt(Integer::intValue).min().orElse(n);
      out.setLabels(labels);
      INDArray eps = null;
      for (int i = n - 1; i > lowest; i--) {
        eps = layers[i].backpropGradient(eps, mgr).getSecond();
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
        if (pre != null) {
          eps = pre.backprop(eps, batch, mgr);
        }
        if (wanted.contains(i - 1)) {
          gradients.put(i - 1, eps.detach());
        }
      }
    } finally {
      dropouts.forEach((i, d) -> layers[i].conf().getLayer().setIDropout(d));
      gradientView.assign(savedGradient);
    }
    return new LayerGradients(activations, gradients);
  }
}
