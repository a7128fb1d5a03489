package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TelemetryTimestampsTest {

  private static final long NOW = 1_700_000_000_000L;
  private final TelemetryTimestamps timestamps = new TelemetryTimestamps(() -> NOW);

  private static ConsumerRecord<Object, Object> stampedAt(long timestamp) {
    return new ConsumerRecord<>(
        "prunewire.telemetry",
        0,
        42,
        timestamp,
        TimestampType.CREATE_TIME,
        3,
        10,
        "run",
        new byte[10],
        new RecordHeaders(),
        Optional.empty());
  }

  @Test
  void aRecordStampedInThePastKeepsItsTimestamp() {
    assertThat(timestamps.extract(stampedAt(NOW - 3_600_000), NOW - 60_000))
        .isEqualTo(NOW - 3_600_000);
    assertThat(timestamps.extract(stampedAt(NOW), -1)).isEqualTo(NOW);
  }

  @Test
  void aRecordStampedInTheFutureCountsAsReadNow() {
    assertThat(timestamps.extract(stampedAt(NOW + 86_400_000L * 365), NOW - 60_000)).isEqualTo(NOW);
    assertThat(timestamps.extract(stampedAt(Long.MAX_VALUE), -1)).isEqualTo(NOW);
  }

  @Test
  void aRecordWithoutTimestampTakesThePartitionsTimeOrTheClock() {
    assertThat(timestamps.extract(stampedAt(-1), NOW - 60_000)).isEqualTo(NOW - 60_000);
    assertThat(timestamps.extract(stampedAt(-1), -1)).isEqualTo(NOW);
  }
}
