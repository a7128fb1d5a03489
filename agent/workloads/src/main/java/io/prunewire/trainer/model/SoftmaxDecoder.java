package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * The language model's decoder: {@code p = softmax(x·W + b)} over the vocabulary at every time
 * step, trained on the summed cross-entropy {@code Σ −ln p[target]} of sparse (token id) labels —
 * DL4J's {@code RnnOutputLayer} with {@code LossSparseMCXENT} and softmax, same parameters ({@code
 * W [in, vocabulary]}, {@code b [1, vocabulary]}) and configuration, but a runtime ({@link
 * SoftmaxDecoderInstance}) that computes the logits once per window for both the score and the
 * gradient and never builds one-hot labels.
 */
public final class SoftmaxDecoder extends RnnOutputLayer {

  /** Jackson (DL4J's configuration JSON) needs a no-argument constructor. */
  public SoftmaxDecoder() {
    super();
  }

  /**
   * A decoder from {@code in} features to {@code vocabulary} words, weights initialised by {@code
   * init}.
   */
  public SoftmaxDecoder(int in, int vocabulary, IWeightInit init) {
    if (in <= 0 || vocabulary <= 0) {
      throw new IllegalArgumentException(
          "SoftmaxDecoder: need in > 0 and vocabulary > 0, got " + in + " and " + vocabulary);
    }
    setNIn(in);
    setNOut(vocabulary);
    setLossFn(new LossSparseMCXENT());
    setActivationFn(new ActivationSoftmax());
    setRnnDataFormat(RNNFormat.NCW);
    setWeightInitFn(init);
    setHasBias(true);
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
        new SoftmaxDecoderInstance(conf, networkDataType),
        conf,
        listeners,
        layerIndex,
        paramsView,
        initializeParams,
        initializer());
  }
}
