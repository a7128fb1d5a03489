package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;

/** A part of {@link LayerEvidence} a criterion reads, and when it counts as present. */
public enum Source {
  /** A weight-statistics snapshot. */
  WEIGHTS("weight statistics") {
    @Override
    public boolean presentIn(LayerEvidence evidence) {
      return evidence.weights().isPresent();
    }
  },
  /** An activation summary with at least one sample. */
  ACTIVATIONS("activation samples") {
    @Override
    public boolean presentIn(LayerEvidence evidence) {
      return evidence.activation().filter(a -> a.value().count() > 0).isPresent();
    }
  },
  /** A gradient summary with at least one sample and one sign window. */
  GRADIENTS("gradient samples") {
    @Override
    public boolean presentIn(LayerEvidence evidence) {
      return evidence
          .gradient()
          .filter(g -> g.gradient().count() > 0 && g.sign().windows() > 0)
          .isPresent();
    }
  },
  /** At least one gate-gradient sample {@code z = Σ a·∂L/∂a}. */
  GATES("gate-gradient samples") {
    @Override
    public boolean presentIn(LayerEvidence evidence) {
      return evidence.gradient().filter(g -> g.gate().count() > 0).isPresent();
    }
  },
  /** At least one Hutchinson probe. */
  CURVATURE("Hutchinson curvature samples") {
    @Override
    public boolean presentIn(LayerEvidence evidence) {
      return evidence.curvature().filter(c -> c.vHv().count() > 0).isPresent();
    }
  };

  private final String description;

  Source(String description) {
    this.description = description;
  }

  /** Whether {@code evidence} holds this part with data in it. */
  public abstract boolean presentIn(LayerEvidence evidence);

  /** Human-readable name, used in error messages. */
  public String description() {
    return description;
  }
}
