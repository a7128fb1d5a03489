package io.prunewire.scorers.retention;

import java.util.Objects;

/** The keep-mask of one layer at one checkpoint, a reason per neuron, and a one-line summary. */
public record LayerDecision(String layer, boolean[] keep, Reason[] reasons, String summary) {

  public LayerDecision {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(summary, "summary");
    if (keep.length != reasons.length) {
      throw new IllegalArgumentException(
          "layer "
              + layer
              + ": "
              + keep.length
              + " mask entries but "
              + reasons.length
              + " reasons");
    }
    keep = keep.clone();
    reasons = reasons.clone();
  }

  @Override
  public boolean[] keep() {
    return keep.clone();
  }

  @Override
  public Reason[] reasons() {
    return reasons.clone();
  }

  public boolean keep(int neuron) {
    return keep[neuron];
  }

  public Reason reason(int neuron) {
    return reasons[neuron];
  }

  public int size() {
    return keep.length;
  }

  public int keptCount() {
    int c = 0;
    for (boolean k : keep) {
      if (k) {
        c++;
      }
    }
    return c;
  }

  /** Neurons pruned at this checkpoint (not counting those pruned before). */
  public int prunedNowCount() {
    int c = 0;
    for (Reason r : reasons) {
      if (r == Reason.PRUNED_LOW_SCORE || r == Reason.PRUNED_SILENT) {
        c++;
      }
    }
    return c;
  }
}
