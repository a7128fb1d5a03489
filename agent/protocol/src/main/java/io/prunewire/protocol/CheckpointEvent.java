package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.nonNegative;
import static io.prunewire.protocol.EventChecks.present;

/**
 * A trainer reached a checkpoint and waits (up to its timeout) for the agent's decision. The
 * checkpoint's step is the header's step.
 *
 * @param checkpointId identifies the checkpoint within the run; every trainer of the run uses the
 *     same id
 * @param plannedRemovals neurons the trainer's schedule expects to be removed at this checkpoint
 *     (>= 0)
 */
public record CheckpointEvent(Header header, String checkpointId, int plannedRemovals)
    implements Event {
  public CheckpointEvent {
    present("Checkpoint.header", header);
    identifier("Checkpoint.checkpointId", checkpointId);
    nonNegative("Checkpoint.plannedRemovals", plannedRemovals);
  }

  @Override
  public EventType type() {
    return EventType.CHECKPOINT;
  }
}
