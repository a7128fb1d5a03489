package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of one HSTNN hybrid layer: a LIF spiking half ({@link LifNeurons}) beside a sigmoid
 * RNN half ({@link SigmoidRecurrence}), both reading the same input, output {@code concat(spikes,
 * rnn)} of width {@code snn + rnn} along dimension 1. No biases. The runtime is {@link
 * HybridLayerInstance}. Constants of the reference: decay 0.6, threshold 0.6, surrogate half-width
 * 0.5.
 */
public final class HybridLayer extends BaseRecurrentLayer {
  /** Spiking half's input weights {@code [in, snn]}. */
  public static final String SNN_WEIGHTS = "Ws";

  /** RNN half's input weights {@code W_fc [in, rnn]}. */
  public static final String RNN_INPUT_WEIGHTS = "Wfc";

  /**
   * RNN half's recurrent weights {@code W_fv [rnn, rnn]} (row = source neuron, column = target).
   */
  public static final String RNN_RECURRENT_WEIGHTS = "Wfv";

  public static final double DEFAULT_DECAY = 0.6;
  public static final double DEFAULT_THRESHOLD = 0.6;
  public static final double DEFAULT_SURROGATE_HALF_WIDTH = 0.5;

  private int snn;
  private int rnn;
  private double decay = DEFAULT_DECAY;
  private double threshold = DEFAULT_THRESHOLD;
  private double surrogateHalfWidth = DEFAULT_SURROGATE_HALF_WIDTH;

  /** Jackson (DL4J's configuration JSON) needs a no-argument constructor. */
  public HybridLayer() {
    super();
  }

  /** A hybrid layer with the reference constants. */
  public HybridLayer(int in, int snn, int rnn) {
    if (in <= 0 || snn < 0 || rnn < 0 || snn + rnn == 0) {
      throw new IllegalArgumentException(
          "HybridLayer: need in > 0, snn >= 0, rnn >= 0, snn + rnn > 0; got in="
              + in
              + ", snn="
              + snn
              + ", rnn="
              + rnn);
    }
    this.snn = snn;
    this.rnn = rnn;
    setNIn(in);
    setNOut(snn + rnn);
    setRnnDataFormat(RNNFormat.NCW);
  }

  public int getSnn() {
    return snn;
  }

  public int getRnn() {
    return rnn;
  }

  public double getDecay() {
    return decay;
  }

  public double getThreshold() {
    return threshold;
  }

  public double getSurrogateHalfWidth() {
    return surrogateHalfWidth;
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
        new HybridLayerInstance(conf, networkDataType),
        conf,
        listeners,
        layerIndex,
        paramsView,
        initializeParams,
        initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return HybridParamInitializer.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    return new LayerMemoryReport.Builder(
            layerName, HybridLayer.class, inputType, getOutputType(-1, inputType))
        .standardMemory(initializer().numParams(this), 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }
}
