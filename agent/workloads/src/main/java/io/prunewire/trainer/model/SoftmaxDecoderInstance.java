package io.prunewire.trainer.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link SoftmaxDecoder}. One pass per window computes, over the time-major rows {@code
 * x [time·batch, in]} ({@link TimeMajor}), {@code P = softmax(x·W + b)} and the summed loss {@code
 * Σ_r −ln clip(P[r, target_r])} (clipped to {@code [1e-10, 1 − 1e-10]} as DL4J's MCXENT). DL4J asks
 * for the score right after the backward pass of the same window; that score is the backward pass's
 * loss instead of a second pass. Backward:
 *
 * <pre>
 *   ∂L/∂z = P − onehot(target),   ∂L/∂W = xᵀ·∂L/∂z,   ∂L/∂b = Σ_r ∂L/∂z_r,   ∂L/∂x = ∂L/∂z·Wᵀ
 * </pre>
 *
 * Masks are not supported (the PTB windows have none).
 */
public final class SoftmaxDecoderInstance extends RnnOutputLayer {
  private static final double CLIP = 1e-10;

  /**
   * A forward pass: input rows, probabilities, targets and loss ({@code null} and 0 without
   * labels).
   */
  private record Pass(INDArray inputRows, NativeMatrix probabilities, int[] targets, double loss) {}

  /** The loss of the last backward pass, until the score of the same input and labels is asked. */
  private record Unscored(INDArray input, INDArray labels, double loss) {}

  private Unscored unscored;

  SoftmaxDecoderInstance(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public double computeScore(
      double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
    applyDropOutIfNecessary(training, workspaceMgr);
    Unscored u = unscored;
    unscored = null;
    double loss =
        u != null && u.input() == input && u.labels() == labels
            ? u.loss()
            : pass(training, true, workspaceMgr).loss();
    if (labels == null) {
      throw new IllegalStateException("decoder " + getIndex() + ": no labels to score");
    }
    score = loss + fullNetRegTerm;
    return score;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Pass p = pass(true, true, workspaceMgr);
    if (p.targets() == null) {
      throw new IllegalStateException("decoder " + getIndex() + ": backprop needs labels");
    }
    unscored = new Unscored(input, labels, p.loss());
    NativeMatrix dz = p.probabilities(); // becomes ∂L/∂z in place
    int vocabulary = (int) layerConf().getNOut();
    int[] targets = p.targets();
    for (int r = 0; r < targets.length; r++) {
      int k = r * vocabulary + targets[r];
      dz.set(k, dz.get(k) - 1);
    }
    INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);
    INDArray gradW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    INDArray gradB = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
    Nd4j.gemm(p.inputRows(), dz.array(), gradW, true, false, 1.0, 0.0);
    gradB.assign(dz.array().sum(true, 0));
    INDArray epsRows = NativeMatrix.product(dz.array(), w, true).array();
    INDArray epsOut =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'f');
    epsOut.assign(TimeMajor.ncw(epsRows, input.size(0)));
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gradW);
    g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, gradB);
    weightNoiseParams.clear();
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    // inference: the labels DL4J still holds are the last training window's, not this input's
    Pass p = pass(training, false, workspaceMgr);
    INDArray out =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATIONS,
            input.dataType(),
            new long[] {input.size(0), layerConf().getNOut(), input.size(2)},
            'f');
    out.assign(TimeMajor.ncw(p.probabilities().array(), input.size(0)));
    return out;
  }

  /**
   * A forward pass of the current input (dropped out when training), with the labels' loss when
   * {@code scored}.
   */
  private Pass pass(boolean training, boolean scored, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    if (maskArray != null) {
      throw new UnsupportedOperationException(
          "decoder " + getIndex() + ": masks are not supported");
    }
    if (input.rank() != 3 || input.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException(
          "decoder "
              + getIndex()
              + ": expected input [batch, "
              + layerConf().getNIn()
              + ", time], got "
              + java.util.Arrays.toString(input.shape()));
    }
    applyDropOutIfNecessary(training, workspaceMgr);
    INDArray rows = TimeMajor.rows(input);
    INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
    INDArray b = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr);
    NativeMatrix p = NativeMatrix.product(rows, w, false);
    p.array().addiRowVector(b);
    Nd4j.exec(new SoftMax(p.array(), p.array(), 1));
    int[] targets = null;
    double loss = 0;
    if (scored && labels != null) {
      if (labels.size(0) != input.size(0) || labels.size(2) != input.size(2)) {
        throw new IllegalArgumentException(
            "decoder "
                + getIndex()
                + ": labels "
                + java.util.Arrays.toString(labels.shape())
                + " do not match the input "
                + java.util.Arrays.toString(input.shape()));
      }
      double[] ids = TimeMajor.values(TimeMajor.rows(labels));
      int vocabulary = (int) layerConf().getNOut();
      targets = new int[ids.length];
      for (int r = 0; r < ids.length; r++) {
        int target = (int) ids[r];
        if (target < 0 || target >= vocabulary || target != ids[r]) {
          throw new IllegalArgumentException(
              "decoder "
                  + getIndex()
                  + ": label "
                  + ids[r]
                  + " is not a word id in [0, "
                  + vocabulary
                  + ")");
        }
        targets[r] = target;
        loss -= Math.log(Math.min(Math.max(p.get(r * vocabulary + target), CLIP), 1 - CLIP));
      }
    }
    return new Pass(rows, p, targets, loss);
  }
}
