package io.prunewire.evaluation.bench;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.scorers.stats.WeightStatistics;
import java.util.SplittableRandom;

/**
 * Reproducible synthetic telemetry of one layer for the benchmarks: sigmoid-like activations,
 * Gaussian gradients, Hutchinson samples and weight statistics of a {@code fanIn × neurons} matrix.
 */
public final class SyntheticLayer {

  private final int neurons;
  private final SplittableRandom random;

  public SyntheticLayer(int neurons, long seed) {
    this.neurons = neurons;
    this.random = new SplittableRandom(seed);
  }

  /** One trainer window: {@code rows} samples of activation and gradient. */
  ActivationSummary activation(int rows) {
    ActivationSummary a = ActivationSummary.empty(neurons, ActivationSummary.Spec.DEFAULT);
    float[] values = new float[rows * neurons];
    for (int j = 0; j < values.length; j++) {
      values[j] = (float) (1 / (1 + Math.exp(-random.nextGaussian() * (1 + j % neurons % 7))));
    }
    a.addRows(values);
    return a;
  }

  GradientSummary gradient(int rows) {
    GradientSummary g = GradientSummary.empty(neurons);
    float[] values = new float[rows * neurons];
    for (int j = 0; j < values.length; j++) {
      values[j] = (float) (random.nextGaussian() * 1e-3 * (1 + j % neurons % 5));
    }
    g.addRows(values);
    double[] gate = new double[neurons];
    for (int i = 0; i < neurons; i++) {
      gate[i] = random.nextGaussian() * 1e-2;
    }
    g.addGate(gate);
    return g;
  }

  CurvatureSummary curvature(int probes) {
    CurvatureSummary c = CurvatureSummary.empty(neurons);
    for (int p = 0; p < probes; p++) {
      double[] vHv = new double[neurons];
      for (int i = 0; i < neurons; i++) {
        vHv[i] = random.nextGaussian() + 0.5;
      }
      c.addProbe(vHv);
    }
    return c;
  }

  /**
   * A weight snapshot with plausible per-neuron values. Drawn directly rather than computed with
   * {@link WeightStatistics#of} from a matrix: the trainer computes it, not the agent's update
   * path, and its exact effective-rank drops take tens of seconds at 1,300 neurons.
   */
  WeightStatistics weights(int fanIn, int fanOut) {
    double[] l2 = new double[neurons];
    double[] l1 = new double[neurons];
    double[] variance = new double[neurons];
    double[] nonZero = new double[neurons];
    double[] entropy = new double[neurons];
    double[] rankDrop = new double[neurons];
    double[] outgoing = new double[neurons];
    for (int i = 0; i < neurons; i++) {
      double scale = 0.02 + 0.08 * random.nextDouble();
      l2[i] = scale * scale;
      l1[i] = scale * Math.sqrt(2 / Math.PI);
      variance[i] = l2[i] * (0.9 + 0.1 * random.nextDouble());
      nonZero[i] = 1 - 0.1 * random.nextDouble();
      entropy[i] = Math.log(fanIn) - 0.3 * random.nextDouble();
      rankDrop[i] = 1e-3 * random.nextGaussian();
      outgoing[i] = scale * random.nextDouble();
    }
    return new WeightStatistics(
        fanIn, fanOut, l2, l1, variance, nonZero, entropy, rankDrop, outgoing);
  }

  /** Evidence with every part present: a few windows, curvature probes and a weight snapshot. */
  public LayerEvidence evidence(String name, int fanIn, int fanOut) {
    LayerEvidence e = new LayerEvidence(name, neurons);
    for (int w = 0; w < 4; w++) {
      e.merge(activation(35));
      e.merge(gradient(35));
    }
    e.merge(curvature(20));
    e.update(0, weights(fanIn, fanOut));
    return e;
  }
}
