package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Set;

/**
 * A per-neuron importance score computed from one layer's {@link LayerEvidence}; higher means more
 * important (keep). Scores are raw, in the units the implementation documents; normalise them per
 * layer before comparing or fusing criteria.
 *
 * <p>Missing evidence: {@link #available} says whether every {@link #sources() source} is present;
 * {@link #score} throws {@link IllegalStateException} naming the criterion, the layer and what is
 * missing when it is not, never a score made up from nothing.
 */
public interface Criterion {
  /** Stable identifier, e.g. {@code "hap"}; used on the wire, in metrics and in fusion weights. */
  String name();

  /** The formula, in plain text with its units. */
  String formula();

  Family family();

  /** The parts of the evidence this criterion reads. */
  Set<Source> sources();

  /** Whether {@code evidence} holds everything {@link #score} needs. */
  default boolean available(LayerEvidence evidence) {
    for (Source source : sources()) {
      if (!source.presentIn(evidence)) {
        return false;
      }
    }
    return true;
  }

  /**
   * One score per neuron of the layer, finite.
   *
   * @throws IllegalStateException if the evidence lacks a source
   */
  double[] score(LayerEvidence evidence);
}
