package io.prunewire.trainer.telemetry;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.RemovalCandidates;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a trainer sends its telemetry and where it receives the agent's decisions.
 *
 * <p>A trainer publishes, in this order: one {@code RunStarted}; then, repeatedly, layer summaries
 * ({@code ActivationSummaryEvent}, {@code GradientSummaryEvent}, {@code CurvatureEvent}, {@code
 * WeightStatisticsEvent}); at a checkpoint an {@code AblationEvent} and a {@code CheckpointEvent},
 * after which it calls {@link #awaitDecision} and, once it applied the masks, publishes a {@code
 * DecisionAck}. Events of one run must reach the agent in the order they were published.
 *
 * <p>Implementations: {@link InMemoryTelemetrySink} (tests, single-process runs) and the Kafka sink
 * of {@code io.prunewire.protocol}'s users. They must be safe to call from the training thread
 * while another thread delivers decisions.
 */
public interface TelemetrySink extends AutoCloseable {

  /**
   * Hands one event to the transport. May return before the event is delivered; never blocks for
   * long (a sink that cannot keep up drops or buffers, it does not stall training).
   */
  void publish(Event event);

  /**
   * Waits for the agent's decision for {@code (runId, checkpointId)}.
   *
   * @return the decision, or empty if none arrived within {@code timeout} (the trainer then
   *     continues training unpruned)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  Optional<DecisionEvent> awaitDecision(String runId, String checkpointId, Duration timeout)
      throws InterruptedException;

  /**
   * Waits for the agent's first answer to a checkpoint: its {@link RemovalCandidates} (protocol v2:
   * the decision then waits for the trainer's {@code RemovalOutcome}s) or its decision. A sink that
   * never receives candidates waits for the decision only, as this default does.
   *
   * @return the candidates or the decision, or empty if neither arrived within {@code timeout}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  default Optional<Event> awaitCandidatesOrDecision(
      String runId, String checkpointId, Duration timeout) throws InterruptedException {
    return awaitDecision(runId, checkpointId, timeout).map(Event.class::cast);
  }

  /** Blocks until every event published so far has been handed to the transport. */
  void flush();

  /** Flushes and releases the transport. */
  @Override
  void close();
}
