package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.nonNegative;

/**
 * The envelope every event carries after the magic, version and type bytes.
 *
 * @param runId the training run; also the Kafka record key, so all events of a run stay in order
 * @param trainerId the trainer process that produced the event (the agent's id for decisions)
 * @param step the trainer's global iteration count when the event was produced (non-negative)
 * @param timestampMillis wall-clock time of production, milliseconds since the Unix epoch (UTC)
 */
public record Header(String runId, String trainerId, long step, long timestampMillis) {
  public Header {
    identifier("header.runId", runId);
    identifier("header.trainerId", trainerId);
    nonNegative("header.step", step);
    nonNegative("header.timestampMillis", timestampMillis);
  }
}
