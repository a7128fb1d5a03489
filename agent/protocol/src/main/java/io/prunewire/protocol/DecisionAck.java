package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.present;

/**
 * A trainer applied a decision's masks.
 *
 * @param checkpointId the decision's checkpoint
 * @param maskHash {@link MaskHash#of} of the masks the trainer actually applied; equal to the
 *     decision's {@link DecisionEvent#maskHash()} when the trainer applied it faithfully
 */
public record DecisionAck(Header header, String checkpointId, long maskHash) implements Event {
  public DecisionAck {
    present("DecisionAck.header", header);
    identifier("DecisionAck.checkpointId", checkpointId);
  }

  @Override
  public EventType type() {
    return EventType.DECISION_ACK;
  }
}
