package io.prunewire.protocol;

/**
 * A protocol v1 event. Every event carries the {@link Header} envelope (run, trainer, step,
 * timestamp); its schema version and type are written in front of it on the wire. Events copy
 * what they are given; the small arrays they expose (masks, scores, indices) are copies, the
 * per-neuron summaries are not (they are large) and must not be modified.
 */
public sealed interface Event
    permits RunStarted, LayerSummaryEvent, AblationEvent, CheckpointEvent, DecisionEvent, DecisionAck {

  /** Schema version of the events this library writes and the only one it reads. */
  int SCHEMA_VERSION = 1;

  Header header();

  EventType type();

  /** The schema version this event is encoded with. */
  default int schemaVersion() {
    return SCHEMA_VERSION;
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
