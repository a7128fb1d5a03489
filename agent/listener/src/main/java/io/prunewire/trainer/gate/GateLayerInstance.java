package io.prunewire.trainer.gate;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link GateLayer}: {@code out = in ⊙ g ⊙ mask} along the neuron axis (dimension 1).
 * The mask (default all ones) zeroes pruned neurons' outputs in training and inference alike; it is
 * runtime state, not saved with the network. The {@link GateObserver} is called inside {@link
 * #activate} and {@link #backpropGradient}; the gate gradient goes only to the observer, the
 * network's gradient for {@code g} is always zero so that {@code g} stays exactly 1.
 */
public final class GateLayerInstance extends BaseLayer<GateLayer> {
  private GateObserver observer = GateObserver.NONE;
  private INDArray mask;

  GateLayerInstance(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Number of gated neurons. */
  public int neurons() {
    return (int) layerConf().getNOut();
  }

  public void setObserver(GateObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  public GateObserver observer() {
    return observer;
  }

  /**
   * Keeps neuron {@code i} when {@code keep[i]} and zeroes its output otherwise; {@code null} keeps
   * all.
   */
  public void setMask(boolean[] keep) {
    if (keep == null) {
      mask = null;
      return;
    }
    if (keep.length != neurons()) {
      throw new IllegalArgumentException(
          "gate layer "
              + getIndex()
              + ": mask has "
              + keep.length
              + " entries for "
              + neurons()
              + " neurons");
    }
    float[] m = new float[keep.length];
    for (int i = 0; i < keep.length; i++) {
      m[i] = keep[i] ? 1f : 0f;
    }
    try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      mask = Nd4j.create(m, new long[] {1, keep.length}).castTo(dataType);
    }
  }

  /** The current keep mask, all {@code true} when none is set. */
  public boolean[] mask() {
    boolean[] keep = new boolean[neurons()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = mask == null || mask.getDouble(0, i) != 0.0;
    }
    return keep;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    checkWidth(input);
    INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, input);
    scale(out, effectiveGate(workspaceMgr));
    observer.forward(getIndex(), out, training);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    checkWidth(epsilon);
    INDArray gate = effectiveGate(workspaceMgr);
    INDArray activations = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, input);
    scale(activations, gate);
    // dL/dg_i = sum over batch and time of in_i * mask_i * eps_i; the stored g is 1.
    INDArray product = activations.mul(epsilon);
    INDArray gateGradient =
        (product.rank() == 3 ? product.sum(0, 2) : product.sum(0)).reshape(1, neurons());
    if (mask != null) {
      gateGradient.muli(mask);
    }
    observer.backward(getIndex(), activations, epsilon, gateGradient);
    // DL4J's NoOp updater still lets the step subtract the raw gradient: a zero gradient keeps g =
    // 1.
    INDArray gradView = gradientViews.get(GateLayer.GATE_KEY);
    gradView.assign(0);

    INDArray epsOut = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
    scale(epsOut, gate);
    Gradient gradient = new DefaultGradient(gradientsFlattened);
    gradient.gradientForVariable().put(GateLayer.GATE_KEY, gradView);
    return new Pair<>(gradient, epsOut);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }

  private INDArray effectiveGate(LayerWorkspaceMgr workspaceMgr) {
    INDArray g = getParamWithNoise(GateLayer.GATE_KEY, false, workspaceMgr);
    return mask == null ? g : g.mul(mask);
  }

  private void checkWidth(INDArray array) {
    if (array.size(1) != neurons()) {
      throw new IllegalArgumentException(
          "gate layer "
              + getIndex()
              + ": array has "
              + array.size(1)
              + " neurons on dimension 1, the gate has "
              + neurons());
    }
  }

  /** In place {@code array[:, i, ...] *= gate[i]}. */
  private static void scale(INDArray array, INDArray gate) {
    Nd4j.getExecutioner().exec(new BroadcastMulOp(array, gate.reshape(gate.length()), array, 1));
  }
}
