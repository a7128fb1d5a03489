package io.prunewire.trainer.kafka;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.prunewire.protocol.RefusalReason;

/**
 * Exports a {@link KafkaTelemetrySink}'s counters as Micrometer meters, tagged with its run and
 * trainer, so that a trainer process can be scraped like the agent:
 *
 * <ul>
 *   <li>{@code prunewire_trainer_events_total{run,trainer,outcome}} — events accepted into the
 *       buffer, delivered to the broker, dropped because the buffer was full, failed (lost to a
 *       non-retriable error) or resent after a delivery timed out; {@code
 *       prunewire_trainer_events_dropped_total} repeats the drops under the name the dashboards and
 *       alerts use;
 *   <li>{@code prunewire_trainer_buffer_bytes{run,trainer}} and {@code
 *       prunewire_trainer_buffer_events{run,trainer}} — what waits in the buffer now;
 *   <li>{@code prunewire_trainer_decision_refusals_total{run,trainer,reason}} — decisions the
 *       trainer refused, by {@code RefusalReason} code (each also sent as a {@code
 *       DecisionRefusal});
 *   <li>{@code prunewire_trainer_decision_receiver_up{run,trainer}} — 1 while the decision receiver
 *       reads decisions, 0 while it starts or retries (e.g. the broker refused its credentials);
 *       {@code prunewire_trainer_decision_receiver_failures_total{run,trainer}} — its failed
 *       attempts;
 *   <li>{@code prunewire_trainer_kafka_problem{run,trainer,thread}} — 1 while the telemetry sender
 *       ({@code thread="sender"}) or the decision receiver ({@code thread="receiver"}) fails
 *       (refused credentials, a TLS handshake, a denied ACL, an unreachable broker), else 0; the
 *       trainer's WARN log and {@link KafkaTelemetrySink#receiverProblem()} name the cause;
 *   <li>{@code resilience4j_circuitbreaker_state{name,state}} and the other standard resilience4j
 *       circuit-breaker meters of the sink's breaker.
 * </ul>
 */
public final class SinkMetrics {

  private SinkMetrics() {}

  /** Registers the sink's meters; they read its live counters at every scrape. */
  public static void bind(KafkaTelemetrySink sink, MeterRegistry registry) {
    Tags tags = Tags.of("run", sink.runId(), "trainer", sink.trainerId());
    outcome(registry, sink, tags, "accepted");
    outcome(registry, sink, tags, "delivered");
    outcome(registry, sink, tags, "dropped");
    outcome(registry, sink, tags, "failed");
    outcome(registry, sink, tags, "resent");
    FunctionCounter.builder("prunewire.trainer.events.dropped", sink, s -> s.stats().dropped())
        .description("Telemetry events dropped because the trainer's bounded buffer was full")
        .tags(tags)
        .register(registry);
    Gauge.builder("prunewire.trainer.buffer", sink, s -> s.stats().bufferedBytes())
        .description("Encoded telemetry waiting in the trainer's buffer")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    Gauge.builder("prunewire.trainer.buffer.events", sink, s -> s.stats().bufferedEvents())
        .description("Telemetry events waiting in the trainer's buffer")
        .tags(tags)
        .register(registry);
    for (RefusalReason reason : RefusalReason.values()) {
      FunctionCounter.builder(
              "prunewire.trainer.decision.refusals", sink, s -> s.refusals(reason.code()))
          .description("Decisions the trainer refused instead of applying, by reason")
          .tags(tags.and("reason", reason.code()))
          .register(registry);
    }
    Gauge.builder(
            "prunewire.trainer.decision.receiver.up",
            sink,
            s -> s.receiverState().equals("RECEIVING") ? 1 : 0)
        .description(
            "1 while the trainer's decision receiver reads decisions, 0 while it starts or retries")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder(
            "prunewire.trainer.decision.receiver.failures",
            sink,
            KafkaTelemetrySink::receiverFailures)
        .description(
            "Attempts of the decision receiver to reach the broker that failed; it retries with backoff")
        .tags(tags)
        .register(registry);
    Gauge.builder(
            "prunewire.trainer.kafka.problem", sink, s -> s.senderProblem().isPresent() ? 1 : 0)
        .description(
            "1 while the trainer's telemetry sender fails to deliver (the log names the cause), else 0")
        .tags(tags.and("thread", "sender"))
        .register(registry);
    Gauge.builder(
            "prunewire.trainer.kafka.problem", sink, s -> s.receiverProblem().isPresent() ? 1 : 0)
        .description(
            "1 while the trainer's decision receiver fails to read decisions (the log names the cause), else 0")
        .tags(tags.and("thread", "receiver"))
        .register(registry);
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(sink.breakers()).bindTo(registry);
  }

  private static void outcome(
      MeterRegistry registry, KafkaTelemetrySink sink, Tags tags, String outcome) {
    FunctionCounter.builder("prunewire.trainer.events", sink, s -> count(s.stats(), outcome))
        .description("Telemetry events by what became of them in the trainer's Kafka sink")
        .tags(tags.and("outcome", outcome))
        .register(registry);
  }

  private static double count(SinkStats stats, String outcome) {
    return switch (outcome) {
      case "accepted" -> stats.accepted();
      case "delivered" -> stats.delivered();
      case "dropped" -> stats.dropped();
      case "failed" -> stats.failed();
      case "resent" -> stats.resent();
      default -> throw new IllegalArgumentException("unknown outcome " + outcome);
    };
  }
}
