package io.prunewire.protocol;

/** The Kafka topics of protocol v1. Every record is keyed by its run id (UTF-8). */
public final class Topics {
  /** Trainers → agent: RunStarted, summaries, curvature, weight statistics, ablations, checkpoints, acks. */
  public static final String TELEMETRY = "prunewire.telemetry";
  /** Agent → trainers: one DecisionEvent per (run, checkpoint). */
  public static final String DECISIONS = "prunewire.decisions";
  /** Agent: the original bytes of every rejected record, with its reason in headers. */
  public static final String DEAD_LETTER = "prunewire.dead-letter";

  private Topics() {}
}
