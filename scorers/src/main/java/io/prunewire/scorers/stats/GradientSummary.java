package io.prunewire.scorers.stats;

/**
 * Per-neuron summary of the loss gradient with respect to the neuron's output.
 *
 * @param gradient moments of {@code g = ∂L/∂a}, one value per sample (row)
 * @param magnitude moments of {@code |g|}
 * @param sign across windows (one window = one {@link #addRows} call), the sign of the window mean
 *     of {@code g}
 * @param gate once per sampled batch, the gate gradient {@code z = Σ_{batch,time} a·∂L/∂a}: the
 *     derivative of the loss with respect to a multiplicative gate on the neuron (Taylor = {@code
 *     |E[z]|}, Fisher = {@code E[z²]})
 */
public record GradientSummary(Moments gradient, Moments magnitude, SignCounts sign, Moments gate) {
  private static final String OWNER = "GradientSummary";

  public GradientSummary {
    ArgumentChecks.notNull(OWNER, "gradient", gradient);
    ArgumentChecks.notNull(OWNER, "magnitude", magnitude);
    ArgumentChecks.notNull(OWNER, "sign", sign);
    ArgumentChecks.notNull(OWNER, "gate", gate);
    int n = gradient.neurons();
    ArgumentChecks.length(OWNER, "magnitude.neurons", magnitude.neurons(), n);
    ArgumentChecks.length(OWNER, "sign.neurons", sign.neurons(), n);
    ArgumentChecks.length(OWNER, "gate.neurons", gate.neurons(), n);
  }

  public static GradientSummary empty(int neurons) {
    ArgumentChecks.neurons(OWNER, neurons);
    return new GradientSummary(
        new Moments(neurons), new Moments(neurons), new SignCounts(neurons), new Moments(neurons));
  }

  public int neurons() {
    return gradient.neurons();
  }

  /**
   * Adds one window of gradients, row-major {@code [rows, neurons]}: updates {@code gradient} and
   * {@code magnitude} with every row and records the sign of the window's mean in {@code sign}.
   */
  public void addRows(float[] rows) {
    Moments window = new Moments(neurons());
    window.addRows(rows);
    magnitude.addRows(Rows.absolute(OWNER, rows));
    addWindow(window);
  }

  /** As {@link #addRows(float[])} for double values. */
  public void addRows(double[] rows) {
    Moments window = new Moments(neurons());
    window.addRows(rows);
    magnitude.addRows(Rows.absolute(OWNER, rows));
    addWindow(window);
  }

  private void addWindow(Moments window) {
    sign.addWindow(window.meanArray());
    gradient.merge(window);
  }

  /** Adds one gate-gradient sample {@code z} per neuron (one sampled batch). */
  public void addGate(double[] z) {
    ArgumentChecks.finite(OWNER, "gate", z, neurons());
    gate.addSample(z);
  }

  /** Merges every part of {@code other} into this summary's parts. */
  public void merge(GradientSummary other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons(), other.neurons());
    gradient.merge(other.gradient);
    magnitude.merge(other.magnitude);
    sign.merge(other.sign);
    gate.merge(other.gate);
  }

  public GradientSummary copy() {
    return new GradientSummary(gradient.copy(), magnitude.copy(), sign.copy(), gate.copy());
  }
}
