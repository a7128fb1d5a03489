package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.float32;
import static io.prunewire.protocol.EventChecks.nonEmpty;
import static io.prunewire.protocol.EventChecks.nonNegative;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

/**
 * Protocol v2, trainer → agent on the telemetry topic: the measured effect of one {@link
 * RemovalCandidates} candidate.
 *
 * @param checkpointId the candidates' checkpoint
 * @param round the candidates' round
 * @param candidateId the measured candidate
 * @param deltaLoss {@code loss(candidate removed) − loss(intact)} on the trainer's held-out probe
 *     batches, in nats per token, held at float32 precision as on the wire
 * @param probeBatches how many probe batches the mean loss covers, ≥ 1
 */
public record RemovalOutcome(
    Header header,
    String checkpointId,
    int round,
    int candidateId,
    double deltaLoss,
    int probeBatches)
    implements Event {

  public RemovalOutcome {
    present("RemovalOutcome.header", header);
    nonEmpty("RemovalOutcome.checkpointId", checkpointId);
    nonNegative("RemovalOutcome.round", round);
    nonNegative("RemovalOutcome.candidateId", candidateId);
    deltaLoss = float32("RemovalOutcome.deltaLoss", deltaLoss);
    positive("RemovalOutcome.probeBatches", probeBatches);
  }

  @Override
  public EventType type() {
    return EventType.REMOVAL_OUTCOME;
  }
}
