package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fusion and a retention policy chosen by configuration decide a real run: adaptive fusion, top-k retention. */
class ConfiguredStrategiesTest {

  static final int NEURONS = 16;

  @TempDir Path stateDir;

  @Test
  void adaptiveFusionLearnsWeightsAcrossDecisionsAndTopKKeepsK() {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      AgentConfig config = KafkaTestSupport.config(stateDir).fusion("adaptive").retention("top-k").retentionK(10)
          .build();
      try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config)) {
        SimulatedTrainer t = new SimulatedTrainer("run-a", "t0", 1, NEURONS);
        List<DecisionEvent> ds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
          send(p, config.telemetryTopic(), t.started());
          for (int k = 1; k <= 2; k++) {
            for (Event e : t.summaries(100L * k)) {
              send(p, config.telemetryTopic(), e);
            }
            send(p, config.telemetryTopic(), t.checkpoint(100L * k, "c" + k, 0));
            int expected = k;
            ds.clear();
            for (ConsumerRecord<String, byte[]> r : readUntil(kafka.bootstrapServers(), config.decisionsTopic(),
                rs -> rs.size() >= expected, Duration.ofSeconds(40))) {
              ds.add((DecisionEvent) EventCodec.decode(r.value()));
            }
          }
        }
        assertThat(ds).hasSize(2);
        assertThat(ds.get(0).reason()).startsWith("top-k retention").contains("adaptive fusion");
        assertThat(ds.get(0).layers()).allSatisfy(l -> assertThat(l.kept()).isEqualTo(10));
        // before any history the weights are equal; after one decision they follow rank stability
        assertThat(new HashSet<>(ds.get(0).fusionWeights().values())).hasSize(1);
        assertThat(new HashSet<>(ds.get(1).fusionWeights().values())).hasSizeGreaterThan(1);
      }
    }
  }
}
