package io.prunewire.scorers.stats;

/**
 * Per-neuron summary of a layer's outputs {@code a}: moments of {@code a} ({@code value}) and of
 * {@code |a|} ({@code magnitude}), non-zero counts (for spiking neurons, spikes), a histogram of
 * {@code a} and the co-activation with the anchor neurons. All parts cover the same neurons.
 *
 * <p>The components are mutable accumulators: {@link #addRows} and {@link #merge} update them in
 * place. Merge requires the same histogram bins and anchors (the same {@link Spec}).
 */
public record ActivationSummary(
    Moments value,
    Moments magnitude,
    Counts nonZero,
    Histogram histogram,
    CoActivation coActivation) {
  private static final String OWNER = "ActivationSummary";

  /**
   * How a trainer lays out its activation summaries; every trainer of a run must use the same.
   *
   * @param histogramLo lower edge of the histogram (values below clamp into the first bin)
   * @param histogramHi upper edge (values above clamp into the last bin)
   * @param histogramBins number of equal-width bins
   * @param anchors co-activation anchors {@code k}, at most the layer's neurons
   * @param anchorSeed seed of the anchor draw
   */
  public record Spec(
      double histogramLo, double histogramHi, int histogramBins, int anchors, long anchorSeed) {
    /** Bins {@code [0, 1]} in 20 bins (sigmoid outputs, spikes), 32 anchors, seed 1. */
    public static final Spec DEFAULT = new Spec(0, 1, 20, 32, 1);

    public Spec {
      Histogram.checkBins(histogramLo, histogramHi, histogramBins);
      if (anchors < 1) {
        throw new IllegalArgumentException("Spec.anchors must be positive, got " + anchors);
      }
    }

    public Spec withHistogram(double lo, double hi, int bins) {
      return new Spec(lo, hi, bins, anchors, anchorSeed);
    }

    public Spec withAnchors(int k, long seed) {
      return new Spec(histogramLo, histogramHi, histogramBins, k, seed);
    }
  }

  public ActivationSummary {
    ArgumentChecks.notNull(OWNER, "value", value);
    ArgumentChecks.notNull(OWNER, "magnitude", magnitude);
    ArgumentChecks.notNull(OWNER, "nonZero", nonZero);
    ArgumentChecks.notNull(OWNER, "histogram", histogram);
    ArgumentChecks.notNull(OWNER, "coActivation", coActivation);
    int n = value.neurons();
    ArgumentChecks.length(OWNER, "magnitude.neurons", magnitude.neurons(), n);
    ArgumentChecks.length(OWNER, "nonZero.neurons", nonZero.neurons(), n);
    ArgumentChecks.length(OWNER, "histogram.neurons", histogram.neurons(), n);
    ArgumentChecks.length(OWNER, "coActivation.neurons", coActivation.neurons(), n);
  }

  /** An empty summary of {@code neurons} neurons; anchors are capped at {@code neurons}. */
  public static ActivationSummary empty(int neurons, Spec spec) {
    ArgumentChecks.neurons(OWNER, neurons);
    ArgumentChecks.notNull(OWNER, "spec", spec);
    return new ActivationSummary(
        new Moments(neurons),
        new Moments(neurons),
        new Counts(neurons),
        new Histogram(neurons, spec.histogramLo(), spec.histogramHi(), spec.histogramBins()),
        new CoActivation(neurons, Math.min(spec.anchors(), neurons), spec.anchorSeed()));
  }

  public int neurons() {
    return value.neurons();
  }

  /** Adds a row-major batch of activations {@code [rows, neurons]} to every part. */
  public void addRows(float[] rows) {
    value.addRows(rows);
    magnitude.addRows(Rows.absolute(OWNER, rows));
    nonZero.addRows(rows);
    histogram.addRows(rows);
    coActivation.addRows(rows);
  }

  /** Adds a row-major batch of activations {@code [rows, neurons]} to every part. */
  public void addRows(double[] rows) {
    value.addRows(rows);
    magnitude.addRows(Rows.absolute(OWNER, rows));
    nonZero.addRows(rows);
    histogram.addRows(rows);
    coActivation.addRows(rows);
  }

  /**
   * Merges every part of {@code other} into this summary's parts; checks that bins and anchors
   * match first, so a mismatch leaves this summary unchanged.
   */
  public void merge(ActivationSummary other) {
    ArgumentChecks.notNull(OWNER, "other", other);
    ArgumentChecks.sameNeurons(OWNER, neurons(), other.neurons());
    histogram.requireMergeable(other.histogram);
    coActivation.requireMergeable(other.coActivation);
    value.merge(other.value);
    magnitude.merge(other.magnitude);
    nonZero.merge(other.nonZero);
    histogram.merge(other.histogram);
    coActivation.merge(other.coActivation);
  }

  public ActivationSummary copy() {
    return new ActivationSummary(
        value.copy(), magnitude.copy(), nonZero.copy(), histogram.copy(), coActivation.copy());
  }
}
