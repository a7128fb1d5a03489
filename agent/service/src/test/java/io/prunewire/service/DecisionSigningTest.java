package io.prunewire.service;

import static io.prunewire.service.KafkaTestSupport.readUntil;
import static io.prunewire.service.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent with a signing key signs every decision it publishes, republications alike. */
class DecisionSigningTest {

  @Test
  void everyPublishedDecisionCarriesASignatureThatVerifiesWithTheAgentsPublicKey(@TempDir Path dir)
      throws Exception {
    KeyPair pair = DecisionSignatures.generate();
    Path key =
        Files.writeString(
            dir.resolve("agent-1.key"), DecisionSignatures.privatePem(pair.getPrivate()));
    Path pub =
        Files.writeString(
            dir.resolve("agent-1.pub"), DecisionSignatures.publicPem(pair.getPublic()));
    SimulatedTrainer t = new SimulatedTrainer("run-signed", "t1", 1, 8);
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      AgentConfig config =
          KafkaTestSupport.config(dir.resolve("state"))
              .signingKeyFile(key)
              .signingKeyId("agent-1")
              .build();
      try (PrunewireAgent agent = PrunewireAgent.start(kafka.bootstrapServers(), config);
          KafkaProducer<String, byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
        send(p, config.topics().telemetry(), t.started());
        t.summaries(10).forEach(e -> send(p, config.topics().telemetry(), e));
        send(p, config.topics().telemetry(), t.checkpoint(20, "c1", 2));
        // asked again: republished byte for byte, signed alike
        send(p, config.topics().telemetry(), t.checkpoint(21, "c1", 2));

        List<ConsumerRecord<String, byte[]>> decisions =
            readUntil(
                kafka.bootstrapServers(),
                config.topics().decisions(),
                r -> r.size() >= 2,
                Duration.ofSeconds(45));
        DecisionSignatures.Verifier verifier =
            DecisionSignatures.Verifier.load(Map.of("agent-1", pub));
        for (ConsumerRecord<String, byte[]> r : decisions) {
          assertThat(
                  verifier.verify(
                      r.value(),
                      r.headers().lastHeader(DecisionSignatures.SIGNATURE_HEADER).value(),
                      r.headers().lastHeader(DecisionSignatures.KEY_ID_HEADER).value()))
              .isEmpty();
        }
        assertThat(decisions.get(1).value()).isEqualTo(decisions.get(0).value());
        // Another key does not verify the agent's signature.
        Path other =
            Files.writeString(
                dir.resolve("other.pub"),
                DecisionSignatures.publicPem(DecisionSignatures.generate().getPublic()));
        ConsumerRecord<String, byte[]> first = decisions.get(0);
        assertThat(
                DecisionSignatures.Verifier.load(Map.of("agent-1", other))
                    .verify(
                        first.value(),
                        first.headers().lastHeader(DecisionSignatures.SIGNATURE_HEADER).value(),
                        first.headers().lastHeader(DecisionSignatures.KEY_ID_HEADER).value()))
            .isPresent();
      }
    }
  }
}
