package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.scorers.stats.WeightStatistics;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Name, formula, family and sources, and the missing-evidence check every criterion shares. */
abstract class AbstractCriterion implements Criterion {
  private final String name;
  private final Family family;
  private final String formula;
  private final Set<Source> sources;

  AbstractCriterion(String name, Family family, String formula, Source... sources) {
    this.name = name;
    this.family = family;
    this.formula = formula;
    EnumSet<Source> set = EnumSet.noneOf(Source.class);
    Collections.addAll(set, sources);
    this.sources = Collections.unmodifiableSet(set);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String formula() {
    return formula;
  }

  @Override
  public final Family family() {
    return family;
  }

  @Override
  public final Set<Source> sources() {
    return sources;
  }

  @Override
  public final double[] score(LayerEvidence evidence) {
    Objects.requireNonNull(evidence, "evidence");
    for (Source source : sources) {
      if (!source.presentIn(evidence)) {
        throw new IllegalStateException(
            "criterion "
                + name
                + " on layer "
                + evidence.layer()
                + ": no "
                + source.description()
                + " yet");
      }
    }
    return compute(evidence);
  }

  /** The scores, called only when every source is present. */
  abstract double[] compute(LayerEvidence evidence);

  static WeightStatistics weights(LayerEvidence evidence) {
    return evidence.weights().orElseThrow();
  }

  static ActivationSummary activation(LayerEvidence evidence) {
    return evidence.activation().orElseThrow();
  }

  static GradientSummary gradient(LayerEvidence evidence) {
    return evidence.gradient().orElseThrow();
  }

  static CurvatureSummary curvature(LayerEvidence evidence) {
    return evidence.curvature().orElseThrow();
  }

  @Override
  public String toString() {
    return name;
  }
}
