package io.prunewire.trainer.telemetry;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.RemovalCandidates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link TelemetrySink} that keeps every published event in memory and receives decisions through
 * {@link #deliver}. An in-process agent {@link #subscribe subscribes} to the published events and
 * delivers its decisions back; tests read {@link #events()}.
 */
public final class InMemoryTelemetrySink implements TelemetrySink {

  private final List<Event> events = new ArrayList<>();
  private final Map<String, DecisionEvent> decisions = new HashMap<>();
  private final Map<String, RemovalCandidates> candidates = new HashMap<>();
  private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
  private boolean closed;

  @Override
  public void publish(Event event) {
    Objects.requireNonNull(event, "event");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("sink is closed");
      }
      events.add(event);
    }
    for (Consumer<Event> s : subscribers) {
      s.accept(event);
    }
  }

  /** Calls {@code subscriber} with every event published from now on, on the publishing thread. */
  public void subscribe(Consumer<Event> subscriber) {
    subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
  }

  /**
   * Makes a decision available to {@link #awaitDecision}; a later decision for the same checkpoint
   * is ignored.
   */
  public synchronized void deliver(DecisionEvent decision) {
    Objects.requireNonNull(decision, "decision");
    decisions.putIfAbsent(key(decision.runId(), decision.checkpointId()), decision);
    notifyAll();
  }

  /**
   * Makes removal candidates available to {@link #awaitCandidatesOrDecision}; later ones for the
   * same checkpoint are ignored.
   */
  public synchronized void deliver(RemovalCandidates removalCandidates) {
    Objects.requireNonNull(removalCandidates, "removalCandidates");
    candidates.putIfAbsent(
        key(removalCandidates.runId(), removalCandidates.checkpointId()), removalCandidates);
    notifyAll();
  }

  @Override
  public synchronized Optional<Event> awaitCandidatesOrDecision(
      String runId, String checkpointId, Duration timeout) throws InterruptedException {
    String key = key(runId, checkpointId);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!candidates.containsKey(key) && !decisions.containsKey(key)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000), 0);
    }
    return Optional.of(candidates.containsKey(key) ? candidates.get(key) : decisions.get(key));
  }

  @Override
  public synchronized Optional<DecisionEvent> awaitDecision(
      String runId, String checkpointId, Duration timeout) throws InterruptedException {
    String key = key(runId, checkpointId);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!decisions.containsKey(key)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000), 0);
    }
    return Optional.of(decisions.get(key));
  }

  /** A copy of every event published so far, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The published events of one type, in order. */
  public synchronized <T extends Event> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void flush() {
    // Events are stored synchronously in publish().
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private static String key(String runId, String checkpointId) {
    return Objects.requireNonNull(runId, "runId")
        + '\u0000'
        + Objects.requireNonNull(checkpointId, "checkpointId");
  }
}
