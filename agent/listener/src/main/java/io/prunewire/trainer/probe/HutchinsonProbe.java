package io.prunewire.trainer.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Per-neuron Hessian-trace probe over each neuron's incoming weights (M. F. Hutchinson, "A
 * stochastic estimator of the trace of the influence matrix for Laplacian smoothing splines",
 * Communications in Statistics – Simulation and Computation 19(2), 1990).
 *
 * <p>DL4J has no double backward, so Hessian-vector products are central finite differences of
 * analytic gradients on a fixed probe batch (see {@link ProbeEvaluator}): {@code Hv ≈ (∇L(w+εv) −
 * ∇L(w−εv)) / 2ε}. The probe vector {@code v} is Rademacher (±1 with equal probability) on the
 * incoming weights of every probed neuron and zero elsewhere; each probe yields, for every neuron
 * {@code i}, the sample {@code Σ_{j∈in(i)} v_j (Hv)_j}, whose expectation is {@code trace(H_i) =
 * Σ_{j∈in(i)} H_jj} because {@code E[v_j v_k] = δ_jk}. The standard error falls as {@code
 * 1/√probes}.
 *
 * <p>Cost: two gradient evaluations per probe. The network's parameters are restored exactly
 * afterwards.
 */
public final class HutchinsonProbe {

  private final int probes;
  private final double epsilon;
  private final long seed;

  private HutchinsonProbe(Builder b) {
    this.probes = b.probes;
    this.epsilon = b.epsilon;
    this.seed = b.seed;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int probes() {
    return probes;
  }

  /**
   * Draws {@link #probes()} Rademacher probes and returns each layer's samples.
   *
   * @param round distinguishes successive calls (e.g. the iteration): the probe vectors are a
   *     deterministic function of (seed, round), so repeated rounds draw fresh vectors
   */
  public List<CurvatureSamples> sample(
      ProbeEvaluator evaluator, List<LayerCoordinates> layers, long round) {
    int[] union = union(layers);
    int[][][] positions = positions(layers);
    double[][][] samples = new double[layers.size()][probes][];
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (round + 1)));
    try (ProbeSession session = new ProbeSession(evaluator)) {
      double[] v = new double[union.length];
      for (int p = 0; p < probes; p++) {
        for (int k = 0; k < v.length; k++) {
          v[k] = random.nextBoolean() ? 1.0 : -1.0;
        }
        session.perturb(union, v, epsilon);
        double[] plus = session.gradient(union);
        session.perturb(union, v, -epsilon);
        double[] minus = session.gradient(union);
        for (int l = 0; l < layers.size(); l++) {
          int[][] pos = positions[l];
          double[] row = new double[pos.length];
          for (int i = 0; i < pos.length; i++) {
            double s = 0;
            for (int k : pos[i]) {
              s += v[k] * (plus[k] - minus[k]) / (2 * epsilon);
            }
            row[i] = s;
          }
          samples[l][p] = row;
        }
      }
    }
    List<CurvatureSamples> out = new ArrayList<>(layers.size());
    for (int l = 0; l < layers.size(); l++) {
      out.add(new CurvatureSamples(layers.get(l).layer(), samples[l]));
    }
    return out;
  }

  /**
   * Exact mode: probes every coordinate basis vector {@code e_j} of the incoming weights, so {@code
   * H_jj = (∂_j L(w+εe_j) − ∂_j L(w−εe_j)) / 2ε} and each neuron's trace is the sum over its
   * incoming weights. Costs two gradient evaluations per incoming weight: for small networks and
   * for validating the stochastic estimate.
   *
   * @return per layer, per neuron {@code trace(H_i)}, in the order of {@code layers}
   */
  public List<double[]> exactTraces(ProbeEvaluator evaluator, List<LayerCoordinates> layers) {
    int[] union = union(layers);
    double[] diagonal = new double[union.length];
    try (ProbeSession session = new ProbeSession(evaluator)) {
      int[] one = new int[1];
      double[] unit = {1.0};
      for (int k = 0; k < union.length; k++) {
        one[0] = union[k];
        session.perturb(one, unit, epsilon);
        double plus = session.gradient(one)[0];
        session.perturb(one, unit, -epsilon);
        double minus = session.gradient(one)[0];
        diagonal[k] = (plus - minus) / (2 * epsilon);
      }
    }
    int[][][] positions = positions(layers);
    List<double[]> out = new ArrayList<>(layers.size());
    for (int[][] pos : positions) {
      double[] trace = new double[pos.length];
      for (int i = 0; i < pos.length; i++) {
        for (int k : pos[i]) {
          trace[i] += diagonal[k];
        }
      }
      out.add(trace);
    }
    return out;
  }

  private static int[] union(List<LayerCoordinates> layers) {
    Objects.requireNonNull(layers, "layers");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no layers to probe");
    }
    LinkedHashSet<Integer> all = new LinkedHashSet<>();
    for (LayerCoordinates c : layers) {
      for (int[] neuron : c.incoming()) {
        for (int j : neuron) {
          if (!all.add(j)) {
            throw new IllegalArgumentException(
                "layer " + c.layer() + ": flat index " + j + " is claimed by more than one neuron");
          }
        }
      }
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  /** For each layer and neuron, the positions of its incoming weights within {@link #union}. */
  private static int[][][] positions(List<LayerCoordinates> layers) {
    int[][][] out = new int[layers.size()][][];
    int k = 0;
    for (int l = 0; l < layers.size(); l++) {
      int[][] incoming = layers.get(l).incoming();
      out[l] = new int[incoming.length][];
      for (int i = 0; i < incoming.length; i++) {
        out[l][i] = new int[incoming[i].length];
        for (int m = 0; m < incoming[i].length; m++) {
          out[l][i][m] = k++;
        }
      }
    }
    return out;
  }

  /** Settings of a {@link HutchinsonProbe}. */
  public static final class Builder {
    private int probes = 8;
    private double epsilon = 1e-3;
    private long seed = 42;

    private Builder() {}

    /** Rademacher probes per call (default 8; the HSTNN reference used 300 in one go). */
    public Builder probes(int probes) {
      if (probes < 1) {
        throw new IllegalArgumentException("probes must be >= 1, got " + probes);
      }
      this.probes = probes;
      return this;
    }

    /**
     * Finite-difference step ε in parameter units (default 1e-3, suited to float networks whose
     * weights are O(0.1); use ~1e-5 in double precision).
     */
    public Builder epsilon(double epsilon) {
      if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
        throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
      }
      this.epsilon = epsilon;
      return this;
    }

    /** Seed of the probe vectors. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public HutchinsonProbe build() {
      return new HutchinsonProbe(this);
    }
  }
}
