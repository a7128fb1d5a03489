package io.prunewire.protocol;

/** The Kafka topics of protocol v1. Every record is keyed by its run id (UTF-8). */
public final class Topics {
  /**
   * Trainers → agent: RunStarted, summaries, curvature, weight statistics, ablations, checkpoints,
   * acks.
   */
  public static final String TELEMETRY = "prunewire.telemetry";

  /** Agent → trainers: one DecisionEvent per (run, checkpoint). */
  public static final String DECISIONS = "prunewire.decisions";

  /** Agent: the original bytes of every rejected record, with its reason in headers. */
  public static final String DEAD_LETTER = "prunewire.dead-letter";

  /** Dead-letter record header: the {@link RejectReason#code()} (UTF-8). */
  public static final String REASON_HEADER = "prunewire.reason";

  /** Dead-letter record header: the rejection message (UTF-8). */
  public static final String DETAIL_HEADER = "prunewire.detail";

  /**
   * Dead-letter record header: the event type name if the preamble was readable, else {@code
   * unknown} (UTF-8).
   */
  public static final String EVENT_TYPE_HEADER = "prunewire.event-type";

  /**
   * Dead-letter record header: where the record came from, {@code topic-partition@offset} (UTF-8).
   */
  public static final String SOURCE_HEADER = "prunewire.source";

  private Topics() {}
}
