package io.prunewire.trainer.probe;

import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluates loss and gradient of a network on a fixed probe batch at perturbed parameters, and
 * puts everything back on {@link #close()}: parameters (bit-exact copy), score, input, labels,
 * masks, and the ND4J random stream (re-seeded from a value drawn before the probe).
 *
 * <p>Every evaluation re-seeds ND4J's random generator with the same seed, so dropout draws the
 * same masks at every perturbation and finite differences measure curvature, not dropout noise.
 */
final class ProbeSession implements AutoCloseable {

  private final MultiLayerNetwork net;
  private final ProbeBatch batch;
  private final long dropoutSeed;
  private final INDArray snapshot;
  private final double savedScore;
  private final INDArray savedInput;
  private final INDArray savedLabels;
  private final long resumeSeed;

  ProbeSession(MultiLayerNetwork net, ProbeBatch batch, long dropoutSeed) {
    this.net = Objects.requireNonNull(net, "net");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.dropoutSeed = dropoutSeed;
    this.snapshot = net.params().dup();
    this.savedScore = net.score();
    this.savedInput = net.getInput();
    this.savedLabels = net.getLabels();
    this.resumeSeed = Nd4j.getRandom().nextLong();
  }

  /** Parameters as they were when the session opened (do not modify). */
  INDArray original() {
    return snapshot;
  }

  /** The network's live flattened parameters. */
  INDArray params() {
    return net.params();
  }

  /** Sets {@code params = original + step·direction} on the given flat indices only. */
  void perturb(int[] indices, double[] direction, double step) {
    INDArray p = net.params();
    p.assign(snapshot);
    for (int k = 0; k < indices.length; k++) {
      p.putScalar(indices[k], snapshot.getDouble(indices[k]) + step * direction[k]);
    }
  }

  /** Restores the original parameters exactly. */
  void reset() {
    net.params().assign(snapshot);
  }

  /** Sets the given flat indices of the original parameters to zero. */
  void zero(int[] indices) {
    INDArray p = net.params();
    p.assign(snapshot);
    for (int j : indices) {
      p.putScalar(j, 0.0);
    }
  }

  /** Inference-mode loss (no dropout) on the probe batch at the current parameters. */
  double evalLoss() {
    Nd4j.getRandom().setSeed(dropoutSeed);
    return net.score(new DataSet(batch.features(), batch.labels(), batch.featuresMask(), batch.labelsMask()), false);
  }

  /** Gradient of the training-mode loss at the current parameters, at the given flat indices. */
  double[] gradient(int[] indices) {
    load();
    net.computeGradientAndScore();
    INDArray g = net.gradient().gradient();
    double[] out = new double[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = g.getDouble(indices[k]);
    }
    return out;
  }

  private void load() {
    Nd4j.getRandom().setSeed(dropoutSeed);
    net.setInput(batch.features());
    net.setLabels(batch.labels());
    net.setLayerMaskArrays(batch.featuresMask(), batch.labelsMask());
  }

  @Override
  public void close() {
    reset();
    net.setScore(savedScore);
    net.setInput(savedInput);
    net.setLabels(savedLabels);
    net.clearLayerMaskArrays();
    Nd4j.getRandom().setSeed(resumeSeed);
  }
}
