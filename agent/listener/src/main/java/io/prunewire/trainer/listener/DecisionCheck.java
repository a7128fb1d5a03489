package io.prunewire.trainer.listener;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.RefusalReason;
import io.prunewire.trainer.mask.NeuronMasks;
import java.util.Map;
import java.util.Optional;

/**
 * What a trainer checks before it applies a decision: it is for this run and checkpoint, names only
 * layers the network prunes, with masks of their lengths, and — combined with the masks in force,
 * as it would be applied — keeps at least {@code ⌈minKeptFraction · n⌉} and never zero of a layer's
 * {@code n} neurons. A decision that fails is refused, never applied in part: training goes on with
 * the masks it had.
 *
 * @param layers the network's prunable layers, name → neurons
 * @param minKeptFraction the trainer's own rail, at most the agent's {@code min.kept.fraction}
 */
record DecisionCheck(String runId, Map<String, Integer> layers, double minKeptFraction) {

  /** Why a decision was refused: a {@link RefusalReason} and what exactly was wrong. */
  record Refusal(RefusalReason reason, String detail) {}

  /**
   * @param current the masks in force, or {@code null} before the first decision
   * @return the first failed check, or empty if the decision may be applied
   */
  Optional<Refusal> check(DecisionEvent d, String checkpointId, NeuronMasks current) {
    if (!d.runId().equals(runId) || !d.checkpointId().equals(checkpointId)) {
      return refuse(
          RefusalReason.WRONG_CHECKPOINT,
          "decision of run '"
              + d.runId()
              + "', checkpoint '"
              + d.checkpointId()
              + "' where run '"
              + runId
              + "', checkpoint '"
              + checkpointId
              + "' was awaited");
    }
    for (DecisionEvent.LayerDecision l : d.layers()) {
      Integer neurons = layers.get(l.layer());
      if (neurons == null) {
        return refuse(
            RefusalReason.UNKNOWN_LAYER,
            "mask names layer '"
                + l.layer()
                + "'; the network's prunable layers are "
                + layers.keySet());
      }
      if (l.neurons() != neurons) {
        return refuse(
            RefusalReason.MASK_LENGTH,
            "layer '"
                + l.layer()
                + "': mask of "
                + l.neurons()
                + " neurons, the layer has "
                + neurons);
      }
      boolean[] keep = l.keep();
      boolean[] before =
          current != null && current.layers().contains(l.layer()) ? current.keep(l.layer()) : null;
      int kept = 0;
      for (int i = 0; i < keep.length; i++) {
        kept += keep[i] && (before == null || before[i]) ? 1 : 0;
      }
      if (kept == 0) {
        return refuse(
            RefusalReason.ALL_PRUNED,
            "layer '"
                + l.layer()
                + "': applied, the decision would prune all "
                + neurons
                + " neurons");
      }
      long minKept = (long) Math.ceil(minKeptFraction * neurons);
      if (kept < minKept) {
        return refuse(
            RefusalReason.MIN_KEPT,
            "layer '"
                + l.layer()
                + "': applied, the decision would keep "
                + kept
                + " of "
                + neurons
                + " neurons, fewer than the trainer's minimum kept fraction "
                + minKeptFraction);
      }
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(RefusalReason reason, String detail) {
    return Optional.of(new Refusal(reason, detail));
  }
}
