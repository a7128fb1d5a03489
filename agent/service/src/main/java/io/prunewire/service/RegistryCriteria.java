package io.prunewire.service;

import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every criterion of the scorers registry except the {@code random} baseline, each normalised
 * within the layer by one {@link Normalizer}. A criterion whose evidence has not arrived yet (e.g.
 * no curvature sample so far) scores 0.5 for every neuron: the normalisers' value for a criterion
 * that carries no information about the layer, so it moves no neuron.
 */
final class RegistryCriteria implements LayerCriteria {

  /** Value of a criterion without evidence (see {@code io.prunewire.scorers.normalize}). */
  static final double NO_INFORMATION = 0.5;

  private final List<Criterion> criteria;
  private final List<String> names;
  private final Normalizer normalizer;

  RegistryCriteria(Normalizer normalizer) {
    this.criteria =
        Criteria.defaults().all().stream().filter(c -> !c.name().equals("random")).toList();
    this.names = criteria.stream().map(Criterion::name).toList();
    this.normalizer = normalizer;
    if (!names.contains(HAP)) {
      throw new IllegalStateException("the criteria registry has no '" + HAP + "' criterion");
    }
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public CriterionScores score(LayerSpec layer, LayerEvidence evidence) {
    Map<String, double[]> normalised = new LinkedHashMap<>();
    for (Criterion c : criteria) {
      double[] s;
      if (c.available(evidence)) {
        s = normalizer.normalize(layer.name(), c.score(evidence));
      } else {
        s = new double[layer.neurons()];
        Arrays.fill(s, NO_INFORMATION);
      }
      normalised.put(c.name(), s);
    }
    return CriterionScores.of(layer.name(), normalised);
  }
}
