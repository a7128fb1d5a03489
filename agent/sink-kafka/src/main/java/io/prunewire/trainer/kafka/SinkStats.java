package io.prunewire.trainer.kafka;

/**
 * A snapshot of a {@link KafkaTelemetrySink}'s counters.
 *
 * @param accepted events taken into the buffer by {@code publish}
 * @param delivered events acknowledged by the broker
 * @param dropped events refused by {@code publish} because the buffer was full (never sent)
 * @param failed events lost to a non-retriable producer error (e.g. larger than the broker accepts)
 * @param resent deliveries that failed retriably (broker away past the delivery timeout) and were
 *     queued to be sent again, in order
 * @param bufferedEvents events waiting in the buffer now
 * @param bufferedBytes encoded bytes waiting in the buffer now
 * @param circuit the circuit breaker's state: {@code CLOSED} sends, {@code OPEN} holds events in
 *     the buffer, {@code HALF_OPEN} sends probes
 * @param decisionsReceived decisions of this run received from {@code prunewire.decisions}
 */
public record SinkStats(
    long accepted,
    long delivered,
    long dropped,
    long failed,
    long resent,
    int bufferedEvents,
    long bufferedBytes,
    String circuit,
    long decisionsReceived) {}
