package io.prunewire.protocol;

import static java.util.Objects.requireNonNull;

/**
 * An event (bytes or object) that breaks protocol v1. The {@link #reason()} says which rule; the
 * message names the event type, the field and the offending value.
 */
public final class InvalidEventException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  public InvalidEventException(RejectReason reason, String message) {
    super(requireNonNull(reason, "reason").code() + ": " + requireNonNull(message, "message"));
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
