package io.prunewire.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.Topics;
import org.junit.jupiter.api.Test;

class SinkMetricsTest {

  @Test
  void metersFollowTheSinksCountersAndBreaker() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      // a buffer smaller than one reference-width summary: that summary is dropped, small events
      // pass
      try (KafkaTelemetrySink sink =
          KafkaTelemetrySink.builder(kafka.bootstrapServers(), "run-1", "trainer-0")
              .bufferBytes(64 * 1024)
              .build()) {
        MeterRegistry registry = new SimpleMeterRegistry();
        SinkMetrics.bind(sink, registry);

        sink.publish(KafkaTelemetrySinkTest.runStarted());
        sink.publish(KafkaTelemetrySinkTest.wideActivationSummary());
        sink.publish(new CheckpointEvent(KafkaTelemetrySinkTest.header(100), "ckpt-1", 3));
        sink.flush();

        assertThat(events(registry, "accepted")).isEqualTo(2);
        assertThat(events(registry, "delivered")).isEqualTo(2);
        assertThat(events(registry, "dropped")).isEqualTo(1);
        assertThat(events(registry, "failed")).isZero();
        assertThat(
                registry
                    .get("prunewire.trainer.events.dropped")
                    .tags("run", "run-1", "trainer", "trainer-0")
                    .functionCounter()
                    .count())
            .isEqualTo(1);
        assertThat(registry.get("prunewire.trainer.buffer").gauge().value()).isZero();
        assertThat(
                registry
                    .get("resilience4j.circuitbreaker.state")
                    .tags(
                        "name",
                        "prunewire-telemetry-trainer-0",
                        "state",
                        "closed",
                        "run",
                        "run-1",
                        "trainer",
                        "trainer-0")
                    .gauge()
                    .value())
            .isEqualTo(1);
      }
    }
  }

  private static double events(MeterRegistry registry, String outcome) {
    return registry
        .get("prunewire.trainer.events")
        .tags("outcome", outcome, "run", "run-1")
        .functionCounter()
        .count();
  }
}
