package io.prunewire.scorers.stats;

/**
 * Hutchinson curvature samples per neuron: one sample per Rademacher probe {@code v}, {@code
 * Σ_{j∈in(i)} v_j·(Hv)_j} over the neuron's incoming weights. Its mean estimates {@code
 * trace(H_i)}, the trace of the Hessian block of neuron {@code i}'s incoming weights (Hutchinson
 * 1990); samples may be negative.
 *
 * @param vHv moments of the per-probe samples
 */
public record CurvatureSummary(Moments vHv) {
  private static final String OWNER = "CurvatureSummary";

  public CurvatureSummary {
    ArgumentChecks.notNull(OWNER, "vHv", vHv);
  }

  public static CurvatureSummary empty(int neurons) {
    return new CurvatureSummary(new Moments(neurons));
  }

  public int neurons() {
    return vHv.neurons();
  }

  /** Adds one probe's {@code vᵀHv} restricted to each neuron's incoming weights. */
  public void addProbe(double[] vHvPerNeuron) {
    ArgumentChecks.finite(OWNER, "vHv", vHvPerNeuron, neurons());
    vHv.addSample(vHvPerNeuron);
  }

  public void merge(CurvatureSummary other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    vHv.merge(other.vHv);
  }

  public CurvatureSummary copy() {
    return new CurvatureSummary(vHv.copy());
  }
}
