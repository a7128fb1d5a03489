package io.prunewire.scorers.stats;

import java.util.Optional;

/**
 * Everything the agent holds for one layer of one run, and what every criterion reads: the merged
 * activation, gradient and curvature summaries and the latest weight statistics. Parts are absent
 * until the first summary of their kind arrives. Summaries are copied on their first merge, so the
 * caller may keep using the instance it passed.
 *
 * <p>Mutable and not thread-safe; {@link #copy()} gives an independent snapshot.
 */
public final class LayerEvidence {
  private static final String OWNER = "LayerEvidence";

  private final String layer;
  private final int neurons;
  private ActivationSummary activation;
  private GradientSummary gradient;
  private CurvatureSummary curvature;
  private WeightStatistics weights;
  private long weightsStep = -1;

  /** Empty evidence for layer {@code layer} of {@code neurons} neurons. */
  public LayerEvidence(String layer, int neurons) {
    if (layer == null || layer.isBlank()) {
      throw new IllegalArgumentException(OWNER + ": layer name must not be blank");
    }
    this.layer = layer;
    this.neurons = ArgumentChecks.neurons(OWNER + "(" + layer + ")", neurons);
  }

  /** Restores evidence from its parts (any may be {@code null}); parts are copied. */
  public static LayerEvidence of(
      String layer,
      int neurons,
      ActivationSummary activation,
      GradientSummary gradient,
      CurvatureSummary curvature,
      WeightStatistics weights,
      long weightsStep) {
    LayerEvidence evidence = new LayerEvidence(layer, neurons);
    if (activation != null) {
      evidence.merge(activation);
    }
    if (gradient != null) {
      evidence.merge(gradient);
    }
    if (curvature != null) {
      evidence.merge(curvature);
    }
    if (weights != null) {
      evidence.update(weightsStep, weights);
    }
    return evidence;
  }

  public String layer() {
    return layer;
  }

  public int neurons() {
    return neurons;
  }

  private void checkNeurons(String part, Object summary, int theirs) {
    if (summary == null) {
      throw new IllegalArgumentException(OWNER + "(" + layer + "): " + part + " must not be null");
    }
    if (theirs != neurons) {
      throw new IllegalArgumentException(
          OWNER + "(" + layer + "): " + part + " has " + theirs + " neurons, layer has " + neurons);
    }
  }

  public void merge(ActivationSummary summary) {
    checkNeurons("activation summary", summary, summary == null ? 0 : summary.neurons());
    if (activation == null) {
      activation = summary.copy();
    } else {
      activation.merge(summary);
    }
  }

  public void merge(GradientSummary summary) {
    checkNeurons("gradient summary", summary, summary == null ? 0 : summary.neurons());
    if (gradient == null) {
      gradient = summary.copy();
    } else {
      gradient.merge(summary);
    }
  }

  public void merge(CurvatureSummary summary) {
    checkNeurons("curvature summary", summary, summary == null ? 0 : summary.neurons());
    if (curvature == null) {
      curvature = summary.copy();
    } else {
      curvature.merge(summary);
    }
  }

  /**
   * Keeps {@code statistics} if {@code step} is later than the step of the snapshot held (or none
   * is held). For two snapshots of the same step (several trainers) the one first in {@link
   * WeightStatistics#ORDER} wins, so the state does not depend on arrival order.
   *
   * @return whether the snapshot was taken
   */
  public boolean update(long step, WeightStatistics statistics) {
    checkNeurons("weight statistics", statistics, statistics == null ? 0 : statistics.neurons());
    if (step < 0) {
      throw new IllegalArgumentException(
          OWNER + "(" + layer + "): weight step must be >= 0, got " + step);
    }
    if (weights != null
        && (step < weightsStep
            || (step == weightsStep && WeightStatistics.ORDER.compare(statistics, weights) >= 0))) {
      return false;
    }
    weights = statistics;
    weightsStep = step;
    return true;
  }

  public Optional<ActivationSummary> activation() {
    return Optional.ofNullable(activation);
  }

  public Optional<GradientSummary> gradient() {
    return Optional.ofNullable(gradient);
  }

  public Optional<CurvatureSummary> curvature() {
    return Optional.ofNullable(curvature);
  }

  public Optional<WeightStatistics> weights() {
    return Optional.ofNullable(weights);
  }

  /** Step of the weight snapshot held, -1 if none. */
  public long weightsStep() {
    return weightsStep;
  }

  /** An independent deep copy (weight statistics are immutable and shared). */
  public LayerEvidence copy() {
    LayerEvidence copy = new LayerEvidence(layer, neurons);
    copy.activation = activation == null ? null : activation.copy();
    copy.gradient = gradient == null ? null : gradient.copy();
    copy.curvature = curvature == null ? null : curvature.copy();
    copy.weights = weights;
    copy.weightsStep = weightsStep;
    return copy;
  }

  @Override
  public String toString() {
    return "LayerEvidence["
        + layer
        + ", neurons="
        + neurons
        + ", activation="
        + (activation != null)
        + ", gradient="
        + (gradient != null)
        + ", curvature="
        + (curvature != null)
        + ", weightsStep="
        + weightsStep
        + "]";
  }
}
