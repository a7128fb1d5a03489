package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.ParamViews;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of a {@link HybridLayer}, flattened in this order: {@code Ws [in, snn]}, {@code Wfc
 * [in, rnn]}, {@code Wfv [rnn, rnn]} (each 'f' ordered). No biases. Initialised with the layer's
 * weight init, by default {@code U(−1/√fanIn, 1/√fanIn)} as PyTorch's {@code nn.Linear}.
 */
final class HybridParamInitializer implements ParamInitializer {
  static final HybridParamInitializer INSTANCE = new HybridParamInitializer();

  private HybridParamInitializer() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    HybridLayer h = (HybridLayer) layer;
    long in = h.getNIn();
    return in * h.getSnn() + in * h.getRnn() + (long) h.getRnn() * h.getRnn();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return List.of(
        HybridLayer.SNN_WEIGHTS, HybridLayer.RNN_INPUT_WEIGHTS, HybridLayer.RNN_RECURRENT_WEIGHTS);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return paramKeys(layer);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return List.of();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return paramKeys(layer).contains(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(
      NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    HybridLayer h = (HybridLayer) conf.getLayer();
    Map<String, INDArray> params = views(h, paramsView);
    if (initializeParams) {
      IWeightInit init =
          h.getWeightInitFn() == null ? new WeightInitUniform() : h.getWeightInitFn();
      for (Map.Entry<String, INDArray> e : params.entrySet()) {
        INDArray w = e.getValue();
        init.init(w.size(0), w.size(1), w.shape(), 'f', w);
      }
    }
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(
      NeuralNetConfiguration conf, INDArray gradientView) {
    return views((HybridLayer) conf.getLayer(), gradientView);
  }

  private static Map<String, INDArray> views(HybridLayer h, INDArray flat) {
    long in = h.getNIn();
    long snn = h.getSnn();
    long rnn = h.getRnn();
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put(HybridLayer.SNN_WEIGHTS, ParamViews.matrix(flat, 0, in, snn));
    m.put(HybridLayer.RNN_INPUT_WEIGHTS, ParamViews.matrix(flat, in * snn, in, rnn));
    m.put(
        HybridLayer.RNN_RECURRENT_WEIGHTS, ParamViews.matrix(flat, in * snn + in * rnn, rnn, rnn));
    return m;
  }
}
