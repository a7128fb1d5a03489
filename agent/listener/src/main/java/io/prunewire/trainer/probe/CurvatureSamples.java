package io.prunewire.trainer.probe;

import java.util.Objects;

/**
 * Hutchinson samples of one layer: {@code samples[p][i] = Σ_{j∈in(i)} v_j (Hv)_j} for probe vector
 * {@code v} number {@code p} and neuron {@code i}. With Rademacher {@code v}, each sample is an
 * unbiased estimate of {@code trace(H_i)}, the trace of the loss Hessian restricted to neuron
 * {@code i}'s incoming weights.
 *
 * @param layer prunable layer name
 * @param samples {@code [probes][neurons]}
 */
public record CurvatureSamples(String layer, double[][] samples) {

  public CurvatureSamples {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(samples, "samples");
    if (samples.length == 0) {
      throw new IllegalArgumentException("layer " + layer + ": no probes");
    }
    for (double[] row : samples) {
      if (row.length != samples[0].length) {
        throw new IllegalArgumentException("layer " + layer + ": ragged samples");
      }
      for (double x : row) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException(
              "layer " + layer + ": non-finite curvature sample " + x);
        }
      }
    }
  }

  /** Per-neuron mean over probes: the Hutchinson estimate of {@code trace(H_i)}. */
  public double[] mean() {
    double[] m = new double[samples[0].length];
    for (double[] row : samples) {
      for (int i = 0; i < m.length; i++) {
        m[i] += row[i];
      }
    }
    for (int i = 0; i < m.length; i++) {
      m[i] /= samples.length;
    }
    return m;
  }
}
