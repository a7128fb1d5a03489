package io.prunewire.trainer.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link HybridLayer}. State handling follows DL4J's recurrent layers: {@link #activate}
 * starts from zero state; {@link #rnnActivateUsingStoredState} (truncated BPTT) and
 * {@link #rnnTimeStep} (inference) start the RNN half from the stored last hidden state and store
 * the new one, detached. The spiking half's membrane is reset on every call, i.e. every bptt window.
 * Backward recomputes the forward pass from the same (dropped-out) input and initial state.
 */
public final class HybridLayerInstance extends BaseRecurrentLayer<HybridLayer> {
  private static final String STATE_KEY = "h";

  /** Initial RNN state of the last forward pass; backward starts from the same one. */
  private INDArray lastInitialState;

  HybridLayerInstance(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    return forward(null, training, workspaceMgr).output;
  }

  @Override
  public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    Forward f = forward(stateMap.get(STATE_KEY), false, workspaceMgr);
    storeLast(stateMap, f.rnn);
    return f.output;
  }

  @Override
  public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
      LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    Forward f = forward(tBpttStateMap.get(STATE_KEY), training, workspaceMgr);
    if (storeLastForTBPTT) {
      storeLast(tBpttStateMap, f.rnn);
    }
    return f.output;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
      LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    HybridLayer c = layerConf();
    int snn = c.getSnn();
    int rnn = c.getRnn();
    INDArray x = input.ordering() == 'f' ? input : input.dup('f');
    INDArray ws = getParamWithNoise(HybridLayer.SNN_WEIGHTS, true, workspaceMgr);
    INDArray wFc = getParamWithNoise(HybridLayer.RNN_INPUT_WEIGHTS, true, workspaceMgr);
    INDArray wFv = getParamWithNoise(HybridLayer.RNN_RECURRENT_WEIGHTS, true, workspaceMgr);
    gradientsFlattened.assign(0);
    INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'f');
    if (snn > 0) {
      LifNeurons lif = lif(c);
      LifNeurons.Trace trace = lif.forward(x, ws);
      INDArray epsSpikes = epsilon.get(all(), interval(0, snn), all()).dup('f');
      INDArray epsX = Nd4j.zeros(x.dataType(), x.shape()).dup('f');
      lif.backward(x, ws, trace, epsSpikes, gradientViews.get(HybridLayer.SNN_WEIGHTS), epsX, tbpttBackLength);
      epsOut.addi(epsX);
    }
    if (rnn > 0) {
      SigmoidRecurrence recurrence = new SigmoidRecurrence();
      INDArray h = recurrence.forward(x, wFc, wFv, lastInitialState);
      INDArray epsH = epsilon.get(all(), interval(snn, snn + rnn), all()).dup('f');
      INDArray epsX = Nd4j.zeros(x.dataType(), x.shape()).dup('f');
      recurrence.backward(x, wFc, wFv, lastInitialState, h, epsH, gradientViews.get(HybridLayer.RNN_INPUT_WEIGHTS),
          gradientViews.get(HybridLayer.RNN_RECURRENT_WEIGHTS), epsX, tbpttBackLength);
      epsOut.addi(epsX);
    }
    weightNoiseParams.clear();
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (String key : HybridParamInitializer.INSTANCE.paramKeys(c)) {
      g.gradientForVariable().put(key, gradientViews.get(key));
    }
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }

  private record Forward(INDArray output, INDArray rnn) {}

  private Forward forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    if (input.rank() != 3) {
      throw new IllegalArgumentException("hybrid layer " + getIndex() + ": expected input [batch, "
          + layerConf().getNIn() + ", time], got rank " + input.rank());
    }
    if (input.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException("hybrid layer " + getIndex() + ": input has " + input.size(1)
          + " features, the layer expects " + layerConf().getNIn());
    }
    applyDropOutIfNecessary(training, workspaceMgr);
    HybridLayer c = layerConf();
    int snn = c.getSnn();
    int rnn = c.getRnn();
    INDArray x = input.ordering() == 'f' ? input : input.dup('f');
    if (initialState != null && initialState.size(0) != x.size(0)) {
      throw new IllegalStateException("hybrid layer " + getIndex() + ": stored RNN state has batch " + initialState.size(0)
          + ", input has batch " + x.size(0) + " (clear the state with rnnClearPreviousState() first)");
    }
    INDArray h0 = initialState;
    lastInitialState = h0;
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
        new long[] {x.size(0), snn + rnn, x.size(2)}, 'f');
    if (snn > 0) {
      INDArray spikes = lif(c).forward(x, getParamWithNoise(HybridLayer.SNN_WEIGHTS, training, workspaceMgr)).spikes();
      out.get(all(), interval(0, snn), all()).assign(spikes);
    }
    INDArray h = null;
    if (rnn > 0) {
      h = new SigmoidRecurrence().forward(x, getParamWithNoise(HybridLayer.RNN_INPUT_WEIGHTS, training, workspaceMgr),
          getParamWithNoise(HybridLayer.RNN_RECURRENT_WEIGHTS, training, workspaceMgr), h0);
      out.get(all(), interval(snn, snn + rnn), all()).assign(h);
    }
    return new Forward(out, h);
  }

  private static void storeLast(Map<String, INDArray> state, INDArray rnn) {
    if (rnn == null) {
      return;
    }
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      state.put(STATE_KEY, rnn.get(all(), all(), point(rnn.size(2) - 1)).dup('f'));
    }
  }

  private static LifNeurons lif(HybridLayer c) {
    return new LifNeurons(c.getDecay(), c.getThreshold(), c.getSurrogateHalfWidth());
  }
}
