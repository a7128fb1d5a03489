package io.prunewire.protocol;

/**
 * A protocol event (v1, or v2 for the types v2 added). Every event carries the {@link Header}
 * envelope (run, trainer, step, timestamp); its schema version and type are written in front of it
 * on the wire. Events copy what they are given; the small arrays they expose (masks, scores,
 * indices) are copies, the per-neuron summaries are not (they are large) and must not be modified.
 */
public sealed interface Event
    permits RunStarted,
        LayerSummaryEvent,
        AblationEvent,
        CheckpointEvent,
        DecisionEvent,
        DecisionAck,
        DecisionRefusal,
        RemovalCandidates,
        RemovalOutcome {

  /** Protocol version 1: event types 1–9. */
  int VERSION_1 = 1;

  /**
   * Protocol version 2: version 1 plus new event types. A record of a new type carries version byte
   * 2; so does the {@code RunStarted} of a trainer that understands version 2.
   */
  int VERSION_2 = 2;

  Header header();

  EventType type();

  /** The version byte this event is encoded with: the first version that has its type. */
  default int schemaVersion() {
    return type().sinceVersion();
  }

  /** The run, also the Kafka record key. */
  default String runId() {
    return header().runId();
  }

  default String trainerId() {
    return header().trainerId();
  }

  default long step() {
    return header().step();
  }
}
