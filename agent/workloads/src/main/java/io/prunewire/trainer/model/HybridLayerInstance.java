package io.prunewire.trainer.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

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
 * starts from zero state; {@link #rnnActivateUsingStoredState} (truncated BPTT) and {@link
 * #rnnTimeStep} (inference) start the RNN half from the stored last hidden state and store the new
 * one, detached. The spiking half's membrane is reset on every call, i.e. every bptt window.
 *
 * <p>The last forward pass keeps its trace (membranes, spikes, RNN states; plain heap arrays, so no
 * workspace can invalidate them) for the backward pass of the same input; a backward pass of any
 * other input recomputes the forward pass from it and the same initial state.
 */
public final class HybridLayerInstance extends BaseRecurrentLayer<HybridLayer> {
  private static final String STATE_KEY = "h";

  /** The last forward pass: its (dropped-out) input, initial RNN state and trace. */
  private record Forward(
      INDArray input, double[] initialState, LifNeurons.Trace spikes, double[] rnn) {}

  private Forward last;

  HybridLayerInstance(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    return output(forward(null, training, workspaceMgr), workspaceMgr);
  }

  @Override
  public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    Forward f = forward(stateMap.get(STATE_KEY), false, workspaceMgr);
    storeLast(stateMap, f);
    return output(f, workspaceMgr);
  }

  @Override
  public INDArray rnnActivateUsingStoredState(
      INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    Forward f = forward(tBpttStateMap.get(STATE_KEY), training, workspaceMgr);
    if (storeLastForTBPTT) {
      storeLast(tBpttStateMap, f);
    }
    return output(f, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> tbpttBackpropGradient(
      INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    HybridLayer c = layerConf();
    int snn = c.getSnn();
    int rnn = c.getRnn();
    int batch = (int) input.size(0);
    Forward f =
        last != null && last.input() == input
            ? last
            : trace(last == null ? null : last.initialState(), true, workspaceMgr);
    INDArray xRows = TimeMajor.rows(input);
    INDArray epsRows = Nd4j.zeros(xRows.dataType(), xRows.shape()).dup('c');
    gradientsFlattened.assign(0);
    if (snn > 0) {
      double[] epsSpikes =
          TimeMajor.values(TimeMajor.rows(epsilon.get(all(), interval(0, snn), all())));
      lif(c)
          .backward(
              xRows,
              getParamWithNoise(HybridLayer.SNN_WEIGHTS, true, workspaceMgr),
              f.spikes(),
              epsSpikes,
              gradientViews.get(HybridLayer.SNN_WEIGHTS),
              epsRows,
              tbpttBackLength);
    }
    if (rnn > 0) {
      double[] epsH =
          TimeMajor.values(TimeMajor.rows(epsilon.get(all(), interval(snn, snn + rnn), all())));
      new SigmoidRecurrence()
          .backward(
              xRows,
              getParamWithNoise(HybridLayer.RNN_INPUT_WEIGHTS, true, workspaceMgr),
              getParamWithNoise(HybridLayer.RNN_RECURRENT_WEIGHTS, true, workspaceMgr),
              f.initialState(),
              f.rnn(),
              epsH,
              gradientViews.get(HybridLayer.RNN_INPUT_WEIGHTS),
              gradientViews.get(HybridLayer.RNN_RECURRENT_WEIGHTS),
              epsRows,
              batch,
              tbpttBackLength);
    }
    weightNoiseParams.clear();
    INDArray epsOut =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'f');
    epsOut.assign(TimeMajor.ncw(epsRows, batch));
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

  private Forward forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    if (input.rank() != 3) {
      throw new IllegalArgumentException(
          "hybrid layer "
              + getIndex()
              + ": expected input [batch, "
              + layerConf().getNIn()
              + ", time], got rank "
              + input.rank());
    }
    if (input.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException(
          "hybrid layer "
              + getIndex()
              + ": input has "
              + input.size(1)
              + " features, the layer expects "
              + layerConf().getNIn());
    }
    applyDropOutIfNecessary(training, workspaceMgr);
    if (initialState != null && initialState.size(0) != input.size(0)) {
      throw new IllegalStateException(
          "hybrid layer "
              + getIndex()
              + ": stored RNN state has batch "
              + initialState.size(0)
              + ", input has batch "
              + input.size(0)
              + " (clear the state with rnnClearPreviousState() first)");
    }
    last =
        trace(initialState == null ? null : TimeMajor.values(initialState), training, workspaceMgr);
    return last;
  }

  /**
   * The forward pass of the current input from the initial RNN state {@code h0} ({@code
   * [batch·rnn]}, nullable).
   */
  private Forward trace(double[] h0, boolean training, LayerWorkspaceMgr workspaceMgr) {
    HybridLayer c = layerConf();
    int batch = (int) input.size(0);
    INDArray xRows = TimeMajor.rows(input);
    LifNeurons.Trace spikes =
        c.getSnn() > 0
            ? lif(c)
                .forward(
                    xRows,
                    getParamWithNoise(HybridLayer.SNN_WEIGHTS, training, workspaceMgr),
                    batch)
            : null;
    double[] h =
        c.getRnn() > 0
            ? new SigmoidRecurrence()
                .forward(
                    xRows,
                    getParamWithNoise(HybridLayer.RNN_INPUT_WEIGHTS, training, workspaceMgr),
                    getParamWithNoise(HybridLayer.RNN_RECURRENT_WEIGHTS, training, workspaceMgr),
                    h0,
                    batch)
            : null;
    return new Forward(input, h0, spikes, h);
  }

  /**
   * {@code concat(spikes, rnn)} as {@code [batch, snn + rnn, time]} in the activations workspace.
   */
  private INDArray output(Forward f, LayerWorkspaceMgr workspaceMgr) {
    HybridLayer c = layerConf();
    int snn = c.getSnn();
    int rnn = c.getRnn();
    long batch = input.size(0);
    long time = input.size(2);
    INDArray out =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATIONS, input.dataType(), new long[] {batch, snn + rnn, time}, 'f');
    if (snn > 0) {
      out.get(all(), interval(0, snn), all())
          .assign(
              TimeMajor.ncw(
                  TimeMajor.matrix(
                      f.spikes().spikes(), (int) (time * batch), snn, input.dataType()),
                  batch));
    }
    if (rnn > 0) {
      out.get(all(), interval(snn, snn + rnn), all())
          .assign(
              TimeMajor.ncw(
                  TimeMajor.matrix(f.rnn(), (int) (time * batch), rnn, input.dataType()), batch));
    }
    return out;
  }

  /** Keeps the RNN half's state after the last step, detached from every workspace. */
  private void storeLast(Map<String, INDArray> state, Forward f) {
    if (f.rnn() == null) {
      return;
    }
    int batch = (int) input.size(0);
    int rnn = layerConf().getRnn();
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      state.put(
          STATE_KEY,
          NativeMatrix.of(f.rnn(), f.rnn().length - batch * rnn, batch, rnn, input.dataType())
              .array());
    }
  }

  private static LifNeurons lif(HybridLayer c) {
    return new LifNeurons(c.getDecay(), c.getThreshold(), c.getSurrogateHalfWidth());
  }
}
