package io.prunewire.service;

import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The timestamp Kafka Streams gives a telemetry record, and hence the partition's stream time, from
 * which {@link RunRetirement} measures {@link AgentConfig.Limits#runRetention()}: the record's own
 * timestamp (its producer's clock, or the broker's under {@code LogAppendTime}), capped at the
 * agent's wall clock.
 *
 * <p>Why the cap: stream time is the largest timestamp processed and never goes back. One record
 * stamped in the future — a trainer whose clock is wrong, a forged record — would move it ahead at
 * once, retiring every run of the partition, and then hold it there, so that no run would be
 * retired again until real time caught up. Capped, such a record counts as sent when it was read. A
 * replay long after the first processing caps it later or not at all; only such records can make a
 * replay's stream time differ from the original's. Records stamped in the past need no guard: they
 * do not move stream time, and a run is stamped with stream time, not with its own records'
 * timestamps.
 *
 * <p>A record without a valid timestamp (negative; Kafka's current producers cannot write one)
 * takes the partition's time so far, or the wall clock before the partition's first record.
 */
final class TelemetryTimestamps implements TimestampExtractor {

  private final LongSupplier clock;

  TelemetryTimestamps() {
    this(System::currentTimeMillis);
  }

  /**
   * @param clock the agent's wall clock, epoch milliseconds
   */
  TelemetryTimestamps(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long now = clock.getAsLong();
    long timestamp = record.timestamp();
    if (timestamp < 0) {
      return partitionTime >= 0 ? Math.min(partitionTime, now) : now;
    }
    return Math.min(timestamp, now);
  }
}
