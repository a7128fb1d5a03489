package io.prunewire.scorers.fusion;

import io.prunewire.scorers.normalize.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The normalised criteria of one layer: for each criterion name, one finite score per neuron. Every
 * fusion reads this. Immutable: arrays are copied in and out.
 */
public final class CriterionScores {

  private final String layer;
  private final Map<String, double[]> byCriterion;
  private final int neurons;

  private CriterionScores(String layer, Map<String, double[]> byCriterion, int neurons) {
    this.layer = layer;
    this.byCriterion = byCriterion;
    this.neurons = neurons;
  }

  /**
   * Copies and validates the scores.
   *
   * @throws IllegalArgumentException naming the layer and criterion if there are no criteria, a
   *     layer has no neurons, lengths differ, or a score is NaN or infinite
   */
  public static CriterionScores of(String layer, Map<String, double[]> byCriterion) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(byCriterion, "byCriterion");
    if (byCriterion.isEmpty()) {
      throw new IllegalArgumentException("layer " + layer + ": no criteria to fuse");
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    int neurons = -1;
    for (Map.Entry<String, double[]> e : byCriterion.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "criterion name");
      double[] scores = e.getValue();
      if (scores == null) {
        throw new IllegalArgumentException(
            "layer " + layer + ", criterion " + name + ": null scores");
      }
      if (neurons < 0) {
        neurons = scores.length;
        if (neurons == 0) {
          throw new IllegalArgumentException(
              "layer " + layer + ", criterion " + name + ": empty layer");
        }
      } else if (scores.length != neurons) {
        throw new IllegalArgumentException(
            "layer "
                + layer
                + ", criterion "
                + name
                + ": "
                + scores.length
                + " scores, expected "
                + neurons);
      }
      for (int i = 0; i < scores.length; i++) {
        if (!Double.isFinite(scores[i])) {
          throw new IllegalArgumentException(
              "layer "
                  + layer
                  + ", criterion "
                  + name
                  + ": score of neuron "
                  + i
                  + " is "
                  + scores[i]);
        }
      }
      copy.put(name, scores.clone());
    }
    return new CriterionScores(layer, Collections.unmodifiableMap(copy), neurons);
  }

  /**
   * Normalises raw per-criterion scores of one layer (e.g. {@code
   * Criteria.scoreAvailable(evidence)}) with {@code normalizer}, criterion by criterion.
   *
   * @throws IllegalArgumentException as {@link #of} and {@link Normalizer#normalize} do
   */
  public static CriterionScores normalise(
      String layer, Map<String, double[]> raw, Normalizer normalizer) {
    Objects.requireNonNull(normalizer, "normalizer");
    Map<String, double[]> normalised = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : raw.entrySet()) {
      normalised.put(e.getKey(), normalizer.normalize(layer, e.getValue()));
    }
    return of(layer, normalised);
  }

  public String layer() {
    return layer;
  }

  /** Number of neurons of the layer (every criterion has this many scores). */
  public int neurons() {
    return neurons;
  }

  /** Criterion names in the order they were given. */
  public List<String> names() {
    return new ArrayList<>(byCriterion.keySet());
  }

  public boolean has(String criterion) {
    return byCriterion.containsKey(criterion);
  }

  /** A copy of one criterion's scores. */
  public double[] scores(String criterion) {
    return view(criterion).clone();
  }

  /** The stored array, for read-only use inside this package (no copy on the hot path). */
  double[] view(String criterion) {
    double[] s = byCriterion.get(criterion);
    if (s == null) {
      throw new IllegalArgumentException(
          "layer "
              + layer
              + ": criterion "
              + criterion
              + " is missing; have "
              + byCriterion.keySet());
    }
    return s;
  }
}
