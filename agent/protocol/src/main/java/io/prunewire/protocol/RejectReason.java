package io.prunewire.protocol;

import java.util.Locale;

/**
 * Why an event was rejected. The {@link #code()} is stable: it is written into dead-letter records
 * and used as a metric tag, so a renamed constant would be a protocol change.
 */
public enum RejectReason {
  /**
   * Bytes that are not a v1 event: bad magic, truncated, a length beyond the record, trailing
   * bytes.
   */
  MALFORMED,
  /** A well-formed header whose schema version this decoder does not speak. */
  UNKNOWN_VERSION,
  /** A type byte that names no event of this schema version. */
  UNKNOWN_TYPE,
  /** An array whose length disagrees with the layer's neuron count or with a sibling array. */
  ARRAY_LENGTH,
  /** A NaN or infinite float where a finite value is required. */
  NON_FINITE,
  /** A negative count, size, step or index where only non-negative values make sense. */
  NEGATIVE_COUNT,
  /**
   * Values that each pass the checks above but contradict each other: {@code min > max}, a count
   * above its total, histogram counts that do not sum to the total, unsorted anchors.
   */
  INCONSISTENT,
  /** A neuron index at or beyond the layer's neuron count. */
  INDEX_OUT_OF_RANGE,
  /** An event of a run whose {@code RunStarted} the receiver has not seen. */
  UNKNOWN_RUN,
  /**
   * An event of a run the receiver held and then retired (it sent nothing for the receiver's
   * retention): unknown now, like {@link #UNKNOWN_RUN}, but the trainer learns why.
   */
  RETIRED_RUN,
  /** A second {@code RunStarted} of a run that declares other layers or another fleet size. */
  CONFLICTING_RUN,
  /** An event naming a layer its run's {@code RunStarted} did not declare. */
  UNKNOWN_LAYER,
  /** An event whose (trainer, layer, type, step) was already applied. */
  DUPLICATE,
  /** An event whose step is older than the last applied step of the same (trainer, layer, type). */
  OUT_OF_ORDER,
  /**
   * A valid event that would take the receiver beyond one of its configured limits (layers per run,
   * neurons per layer, active runs, state bytes per run); the detail names the limit.
   */
  LIMIT_EXCEEDED,
  /**
   * An event whose processing failed twice with an unexpected error (out of memory included): the
   * receiver gave up on this record and went on with the next; the detail names the error.
   */
  PROCESSING_FAILED;

  /**
   * Lower-case code used on the wire (dead letters) and as a metric tag, e.g. {@code non_finite}.
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
