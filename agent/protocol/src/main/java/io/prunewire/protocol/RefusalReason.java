package io.prunewire.protocol;

import java.util.Locale;

/**
 * Why a trainer refused a decision. The {@link #code()} travels in {@link DecisionRefusal} and is a
 * metric tag, so a renamed constant would be a protocol change.
 */
public enum RefusalReason {
  /** The decision names another checkpoint than the one the trainer waits for. */
  WRONG_CHECKPOINT,
  /** A mask names a layer the trainer's network does not have. */
  UNKNOWN_LAYER,
  /** A mask's length differs from its layer's neurons. */
  MASK_LENGTH,
  /** The decision omits a layer the trainer prunes. */
  MISSING_LAYER,
  /** Applied, the masks would leave a layer below the trainer's minimum kept fraction. */
  MIN_KEPT,
  /** Applied, the masks would prune every neuron of a layer. */
  ALL_PRUNED,
  /** The trainer verifies signatures and the record carries none. */
  UNSIGNED,
  /** The record's signature does not verify with the key its key id names. */
  BAD_SIGNATURE,
  /** The record's key id names no public key the trainer holds. */
  UNKNOWN_KEY,
  /** The masks passed the checks but applying them failed; the detail says why. */
  INAPPLICABLE;

  /** Lower-case code used on the wire and as a metric tag, e.g. {@code unknown_layer}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
