package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.float32;
import static io.prunewire.protocol.EventChecks.identifier;
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
 * @param deltaLossStdErr the standard error of {@code deltaLoss} over those batches ({@code s /
 *     √probeBatches}, {@code s} the sample standard deviation of the per-batch values), ≥ 0; NaN
 *     when not known (a single batch, or a trainer that does not report it). The agent adopts a new
 *     fusion only when its gain exceeds the noise these errors show.
 */
public record RemovalOutcome(
    Header header,
    String checkpointId,
    int round,
    int candidateId,
    double deltaLoss,
    int probeBatches,
    double deltaLossStdErr)
    implements Event {

  public RemovalOutcome {
    present("RemovalOutcome.header", header);
    identifier("RemovalOutcome.checkpointId", checkpointId);
    nonNegative("RemovalOutcome.round", round);
    nonNegative("RemovalOutcome.candidateId", candidateId);
    deltaLoss = float32("RemovalOutcome.deltaLoss", deltaLoss);
    positive("RemovalOutcome.probeBatches", probeBatches);
    if (!Double.isNaN(deltaLossStdErr)) {
      deltaLossStdErr = float32("RemovalOutcome.deltaLossStdErr", deltaLossStdErr);
      if (deltaLossStdErr < 0) {
        throw new InvalidEventException(
            RejectReason.INCONSISTENT,
            "RemovalOutcome.deltaLossStdErr: must be >= 0, was " + deltaLossStdErr);
      }
      if (probeBatches < 2) {
        throw new InvalidEventException(
            RejectReason.INCONSISTENT,
            "RemovalOutcome.deltaLossStdErr: a standard error needs >= 2 probe batches, the"
                + " outcome covers "
                + probeBatches);
      }
    }
  }

  /** An outcome without a standard error (NaN: not known). */
  public RemovalOutcome(
      Header header,
      String checkpointId,
      int round,
      int candidateId,
      double deltaLoss,
      int probeBatches) {
    this(header, checkpointId, round, candidateId, deltaLoss, probeBatches, Double.NaN);
  }

  @Override
  public EventType type() {
    return EventType.REMOVAL_OUTCOME;
  }
}
