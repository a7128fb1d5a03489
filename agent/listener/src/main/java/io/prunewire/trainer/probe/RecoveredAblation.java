package io.prunewire.trainer.probe;

import io.prunewire.trainer.mask.LayerOwnership;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code Δloss} of a removal after a short recovery: the removed neurons' parameters zeroed, then
 * {@code steps} Adam steps (fresh moments, bias-corrected) on the gradients of the recovery
 * batches, one batch per step in turn, with the removed parameters — and every parameter {@code
 * alwaysZero} names, i.e. neurons pruned before — put back to zero after every step; then the loss
 * on each measurement batch, which the recovery never sees: {@code Δloss_b = L_b(recovered without
 * the neurons) − L_b(intact)}, the intact losses measured once, without recovery, so that removals
 * are compared within a call. Nothing is applied: the parameters are restored bit-exactly and
 * ND4J's random stream re-seeded as a {@link ProbeSession} does.
 *
 * <p>Cost per removal: {@code steps} gradients plus one loss per measurement batch. During training
 * what matters is the damage left once training has had a chance to recover, not the immediate
 * damage.
 */
public final class RecoveredAblation {

  /** Adam's constants (those of the reference recipe's optimiser). */
  private static final double BETA1 = 0.9;

  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final int steps;
  private final double learningRate;

  /**
   * @param steps optimisation steps per removal, ≥ 1
   * @param learningRate Adam's learning rate, &gt; 0
   */
  public RecoveredAblation(int steps, double learningRate) {
    if (steps < 1) {
      throw new IllegalArgumentException("recovery steps must be >= 1, got " + steps);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("recovery learning rate must be > 0, got " + learningRate);
    }
    this.steps = steps;
    this.learningRate = learningRate;
  }

  public int steps() {
    return steps;
  }

  /**
   * {@code Δloss} of each removal after recovery, per measurement batch ({@code [removal][batch]}).
   *
   * @param measure one evaluator per measurement batch, all over the same network
   * @param recovery evaluators on the recovery batches (disjoint from the measurement batches), all
   *     over the network of {@code measure}; step {@code t} uses {@code recovery[t mod size]}
   * @param layers what each neuron owns
   * @param removals each a list of {@code {layer index, neuron}} pairs removed together
   * @param alwaysZero flat indices held at zero during every recovery (neurons pruned before)
   */
  public double[][] deltaLosses(
      List<ProbeEvaluator> measure,
      List<ProbeEvaluator> recovery,
      List<LayerOwnership> layers,
      List<List<int[]>> removals,
      int[] alwaysZero) {
    return deltaLosses(measure, recovery, layers, removals, alwaysZero, null);
  }

  /**
   * Adam's moments and learning rate to continue from (e.g. the training optimiser's, so that the
   * recovery continues training), flat in parameter order; no bias correction then.
   *
   * @param clipNorm gradients are scaled to at most this global L2 norm first (0: none), as
   *     training does
   */
  public record Continuation(INDArray m, INDArray v, double learningRate, double clipNorm) {}

  /**
   * As {@link #deltaLosses(ProbeEvaluator, List, List, List, int[])}, continuing from {@code from}
   * (its moments copied, never changed) when not null.
   */
  public double[][] deltaLosses(
      List<ProbeEvaluator> measure,
      List<ProbeEvaluator> recovery,
      List<LayerOwnership> layers,
      List<List<int[]>> removals,
      int[] alwaysZero,
      Continuation from) {
    if (measure.isEmpty() || recovery.isEmpty()) {
      throw new IllegalArgumentException(
          "recovery: "
              + measure.size()
              + " measurement and "
              + recovery.size()
              + " recovery batches, needs >= 1 of each");
    }
    List<ProbeEvaluator> all = new ArrayList<>(measure);
    all.addAll(recovery);
    AblationProbe.requireOneNetwork(all, "recovery");
    double[][] deltas = new double[removals.size()][];
    try (ProbeSession session = new ProbeSession(measure.get(0))) {
      double[] intact = AblationProbe.losses(measure);
      INDArray p = measure.get(0).network().params();
      long n = p.length();
      for (int k = 0; k < deltas.length; k++) {
        int[] removed =
            AblationProbe.ownedParameters(layers, removals.get(k), "recovered ablation");
        double[] keep = new double[Math.toIntExact(n)];
        Arrays.fill(keep, 1.0);
        for (int j : removed) {
          keep[j] = 0.0;
        }
        for (int j : alwaysZero) {
          keep[j] = 0.0;
        }
        INDArray multiplier = Nd4j.createFromArray(keep).castTo(p.dataType()).reshape(p.shape());
        session.zero(removed);
        p.muli(multiplier);
        INDArray m =
            from == null
                ? Nd4j.zeros(DataType.DOUBLE, n)
                : from.m().castTo(DataType.DOUBLE).reshape(n).dup();
        INDArray v =
            from == null
                ? Nd4j.zeros(DataType.DOUBLE, n)
                : from.v().castTo(DataType.DOUBLE).reshape(n).dup();
        double lr = from == null ? learningRate : from.learningRate();
        for (int t = 1; t <= steps; t++) {
          INDArray g =
              recovery
                  .get((t - 1) % recovery.size())
                  .gradient()
                  .castTo(DataType.DOUBLE)
                  .reshape(n)
                  .dup();
          if (from != null && from.clipNorm() > 0) {
            double norm = g.norm2Number().doubleValue();
            if (norm > from.clipNorm()) {
              g.muli(from.clipNorm() / norm);
            }
          }
          m.muli(BETA1).addi(g.mul(1 - BETA1));
          v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
          double c1 = from == null ? 1 - Math.pow(BETA1, t) : 1;
          double c2 = from == null ? 1 - Math.pow(BETA2, t) : 1;
          INDArray step = m.div(c1).divi(Transforms.sqrt(v.div(c2), false).addi(EPSILON)).muli(lr);
          p.subi(step.castTo(p.dataType()).reshape(p.shape()));
          p.muli(multiplier);
        }
        deltas[k] = AblationProbe.minus(AblationProbe.losses(measure), intact);
      }
    }
    return deltas;
  }

  /**
   * The training optimiser's Adam moments and current learning rate of a multi-layer network, or
   * null when its updater is not Adam throughout (blocks without an updater are left at zero).
   */
  public static Continuation trainingState(Model model, double clipNorm) {
    if (!(model instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork net)) {
      return null;
    }
    if (!(net.getUpdater(false) instanceof BaseMultiLayerUpdater<?> updater)) {
      return null;
    }
    long n = net.params().length();
    INDArray m = Nd4j.zeros(DataType.DOUBLE, n);
    INDArray v = Nd4j.zeros(DataType.DOUBLE, n);
    double lr = Double.NaN;
    int iteration = net.getIterationCount();
    int epoch = net.getEpochCount();
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      GradientUpdater<?> gu = block.getGradientUpdater();
      if (gu instanceof NoOpUpdater) {
        continue;
      }
      if (!(gu instanceof AdamUpdater adam) || adam.getM() == null) {
        return null;
      }
      // the block's state view is [m, v], each flat in the block's parameter order
      long len = block.getParamOffsetEnd() - block.getParamOffsetStart();
      INDArray view = block.getUpdaterView().reshape(2 * len);
      if (view.length() != 2 * len) {
        return null;
      }
      m.get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()))
          .assign(view.get(NDArrayIndex.interval(0, len)).castTo(DataType.DOUBLE));
      v.get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()))
          .assign(view.get(NDArrayIndex.interval(len, 2 * len)).castTo(DataType.DOUBLE));
      lr = adam.getConfig().getLearningRate(iteration, epoch);
    }
    return Double.isNaN(lr) ? null : new Continuation(m, v, lr, clipNorm);
  }
}
