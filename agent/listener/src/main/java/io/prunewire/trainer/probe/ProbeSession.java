package io.prunewire.trainer.probe;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Perturbs a network's parameters for a probe and puts everything back on {@link #close()}: the
 * parameters (bit-exact copy) and ND4J's random stream (re-seeded from a value drawn before the
 * probe, so probing does not replay the same dropout masks into training).
 */
final class ProbeSession implements AutoCloseable {

  private final ProbeEvaluator evaluator;
  private final INDArray snapshot;
  private final long resumeSeed;

  ProbeSession(ProbeEvaluator evaluator) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.snapshot = evaluator.network().params().dup();
    this.resumeSeed = Nd4j.getRandom().nextLong();
  }

  /** Sets {@code params = original + step·direction} on the given flat indices only. */
  void perturb(int[] indices, double[] direction, double step) {
    INDArray p = evaluator.network().params();
    p.assign(snapshot);
    for (int k = 0; k < indices.length; k++) {
      p.putScalar(indices[k], snapshot.getDouble(indices[k]) + step * direction[k]);
    }
  }

  /** Sets the given flat indices of the original parameters to zero. */
  void zero(int[] indices) {
    INDArray p = evaluator.network().params();
    p.assign(snapshot);
    for (int j : indices) {
      p.putScalar(j, 0.0);
    }
  }

  /** Inference-mode loss at the current parameters. */
  double loss() {
    return evaluator.loss();
  }

  /** Gradient at the current parameters, at the given flat indices. */
  double[] gradient(int[] indices) {
    INDArray g = evaluator.gradient();
    double[] out = new double[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = g.getDouble(indices[k]);
    }
    return out;
  }

  @Override
  public void close() {
    evaluator.network().params().assign(snapshot);
    Nd4j.getRandom().setSeed(resumeSeed);
  }
}
