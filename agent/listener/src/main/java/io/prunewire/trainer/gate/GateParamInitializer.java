package io.prunewire.trainer.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One parameter, {@code g} of shape {@code [1, n]}, initialised to 1. */
final class GateParamInitializer implements ParamInitializer {
  static final GateParamInitializer INSTANCE = new GateParamInitializer();

  private GateParamInitializer() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return ((GateLayer) layer).getNOut();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return List.of(GateLayer.GATE_KEY);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return List.of();
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return List.of();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return false;
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(
      NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    long n = numParams(conf);
    INDArray g = ParamViews.matrix(paramsView, 0, 1, n);
    if (initializeParams) {
      g.assign(1.0);
    }
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put(GateLayer.GATE_KEY, g);
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(
      NeuralNetConfiguration conf, INDArray gradientView) {
    Map<String, INDArray> grads = new LinkedHashMap<>();
    grads.put(GateLayer.GATE_KEY, ParamViews.matrix(gradientView, 0, 1, numParams(conf)));
    return grads;
  }
}
