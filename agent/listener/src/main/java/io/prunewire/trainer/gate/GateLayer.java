package io.prunewire.trainer.gate;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of a per-neuron multiplicative gate placed after a prunable layer: {@code out = in
 * ⊙ g ⊙ mask}, with {@code g} a {@code [1, n]} parameter initialised to 1 and never updated (NoOp
 * updater, no regularisation), so the network computes exactly what it would without the gate while
 * backprop yields {@code ∂L/∂g_i = Σ_{batch,time} a_i·∂L/∂a_i}. The runtime layer is {@link
 * GateLayerInstance}; observers and masks are set there. Input and output are recurrent ({@code
 * [batch, n, time]}) or feed-forward ({@code [batch, n]}).
 */
public final class GateLayer extends FeedForwardLayer {
  /** Parameter key of the gate vector. */
  public static final String GATE_KEY = "g";

  /** Jackson (DL4J's configuration JSON) needs a no-argument constructor. */
  public GateLayer() {
    super();
  }

  /** A gate over {@code neurons} neurons. */
  public GateLayer(int neurons) {
    if (neurons <= 0) {
      throw new IllegalArgumentException("GateLayer: neurons must be positive, got " + neurons);
    }
    setNIn(neurons);
    setNOut(neurons);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners,
      int layerIndex,
      INDArray paramsView,
      boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(
        new GateLayerInstance(conf, networkDataType),
        conf,
        listeners,
        layerIndex,
        paramsView,
        initializeParams,
        initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return GateParamInitializer.INSTANCE;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType;
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    return new NoOp();
  }

  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    return List.of();
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    return new LayerMemoryReport.Builder(layerName, GateLayer.class, inputType, inputType)
        .standardMemory(nOut, 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }
}
