package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.nonEmpty;
import static io.prunewire.protocol.EventChecks.notNull;
import static io.prunewire.protocol.EventChecks.present;

/**
 * Protocol v2, trainer → agent on the telemetry topic: a trainer refused a decision record and
 * trains on without it.
 *
 * @param checkpointId the refused decision's checkpoint
 * @param reason why, a {@link RefusalReason} code (e.g. {@code unknown_layer}, {@code
 *     bad_signature})
 * @param detail what exactly was wrong, for operators (may be empty)
 */
public record DecisionRefusal(Header header, String checkpointId, String reason, String detail)
    implements Event {

  public DecisionRefusal {
    present("DecisionRefusal.header", header);
    identifier("DecisionRefusal.checkpointId", checkpointId);
    nonEmpty("DecisionRefusal.reason", reason);
    notNull("DecisionRefusal.detail", detail);
  }

  /** Longest detail {@link #truncated} keeps, far below the wire's string limit. */
  public static final int MAX_DETAIL_CHARS = 4_096;

  /**
   * {@code detail} cut to {@link #MAX_DETAIL_CHARS} characters, marked with an ellipsis when cut.
   */
  public static String truncated(String detail) {
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : detail.substring(0, MAX_DETAIL_CHARS - 1) + "…";
  }

  @Override
  public EventType type() {
    return EventType.DECISION_REFUSAL;
  }
}
