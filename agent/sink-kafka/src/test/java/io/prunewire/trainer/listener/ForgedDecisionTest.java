package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.ListenerWorkloads.hybrid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.Topics;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.kafka.KafkaRecords;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.kafka.SinkMetrics;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.AblationProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forged decisions of issue 13, written straight to the decisions topic, used to stop the
 * trainer (an all-pruned mask, a mask for an unknown layer); now each is refused with a {@code
 * DecisionRefusal} and a metric, and training goes on unpruned. A trainer holding the agent's
 * public key also refuses unsigned and wrongly signed ones, plausible masks included.
 */
class ForgedDecisionTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().start();
    kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void forgedDecisionsAreRefusedAndTrainingGoesOnUnpruned() throws Exception {
    String run = "run-forged";
    Workload w = hybrid();
    String bootstrap = kafka.bootstrapServers();
    forge(bootstrap, decision(run, "step-10", w, keep -> Arrays.fill(keep, false)), List.of());
    forge(bootstrap, bogusLayer(run, "step-20"), List.of());
    forge(bootstrap, decision(run, "step-30", w, keep -> keep[0] = false), List.of());
    try (KafkaTelemetrySink sink =
        KafkaTelemetrySink.builder(bootstrap, run, "trainer-0").build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SinkMetrics.bind(sink, registry);
      PruningListener listener = train(w, sink, run);

      List<Event> sent = outcomes(run, 3);
      assertThat(sent).hasSize(3);
      DecisionRefusal allPruned = (DecisionRefusal) sent.get(0);
      assertThat(allPruned.checkpointId()).isEqualTo("step-10");
      assertThat(allPruned.reason()).isEqualTo("all_pruned");
      DecisionRefusal bogus = (DecisionRefusal) sent.get(1);
      assertThat(bogus.reason()).isEqualTo("unknown_layer");
      assertThat(bogus.detail()).contains("'bogus'");
      // A plausible mask is applied: without signatures a trainer cannot tell it from the agent's.
      assertThat(sent.get(2)).isInstanceOf(DecisionAck.class);
      assertThat(listener.masks().pruned()).isEqualTo(w.prunableLayers().size());
      assertThat(refusals(registry, "all_pruned")).isEqualTo(1);
      assertThat(refusals(registry, "unknown_layer")).isEqualTo(1);
      assertThat(w.loss(w.probeBatch(Split.VALID, 0))).isFinite();
    }
  }

  @Test
  void aTrainerWithAPublicKeyAppliesOnlyDecisionsSignedByIt(@TempDir Path dir) throws Exception {
    String run = "run-signed";
    Workload w = hybrid();
    String bootstrap = kafka.bootstrapServers();
    KeyPair agentKey = DecisionSignatures.generate();
    KeyPair otherKey = DecisionSignatures.generate();
    Path pub =
        Files.writeString(
            dir.resolve("agent-1.pub"), DecisionSignatures.publicPem(agentKey.getPublic()));
    DecisionSignatures.Signer agent =
        new DecisionSignatures.Signer("agent-1", agentKey.getPrivate());
    DecisionSignatures.Signer impostor =
        new DecisionSignatures.Signer("agent-1", otherKey.getPrivate());
    DecisionSignatures.Signer stranger =
        new DecisionSignatures.Signer("other", otherKey.getPrivate());
    // A plausible forged mask comes first, unsigned; the agent's own decision after it still
    // counts.
    DecisionEvent genuine = decision(run, "step-10", w, keep -> keep[1] = false);
    forge(bootstrap, decision(run, "step-10", w, keep -> keep[0] = false), List.of());
    forge(bootstrap, genuine, signed(agent, genuine));
    DecisionEvent forged20 = decision(run, "step-20", w, keep -> keep[2] = false);
    forge(bootstrap, forged20, signed(impostor, forged20));
    DecisionEvent forged30 = decision(run, "step-30", w, keep -> keep[2] = false);
    forge(bootstrap, forged30, signed(stranger, forged30));
    try (KafkaTelemetrySink sink =
        KafkaTelemetrySink.builder(bootstrap, run, "trainer-0")
            .decisionVerifier(DecisionSignatures.Verifier.load(Map.of("agent-1", pub)))
            .build()) {
      PruningListener listener = train(w, sink, run);

      List<Event> sent = outcomes(run, 4);
      assertThat(sent)
          .extracting(
              e ->
                  e instanceof DecisionRefusal r
                      ? r.checkpointId() + " " + r.reason()
                      : ((DecisionAck) e).checkpointId() + " ack")
          .containsExactlyInAnyOrder(
              "step-10 unsigned", "step-10 ack", "step-20 bad_signature", "step-30 unknown_key");
      assertThat(listener.masks()).isEqualTo(io.prunewire.trainer.mask.NeuronMasks.of(genuine));
      assertThat(sink.stats().decisionsReceived()).isEqualTo(1);
    }
  }

  private static List<org.apache.kafka.common.header.Header> signed(
      DecisionSignatures.Signer signer, DecisionEvent d) {
    return List.of(
        new RecordHeader(DecisionSignatures.SIGNATURE_HEADER, signer.sign(EventCodec.encode(d))),
        new RecordHeader(
            DecisionSignatures.KEY_ID_HEADER, signer.keyId().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Trains one epoch with a checkpoint every 10 iterations once the sink reads decisions (those
   * forged before are then in its hands at once); returns the closed listener. A checkpoint whose
   * only decisions were refused waits the whole decision timeout, hence a short one.
   */
  private static PruningListener train(Workload w, KafkaTelemetrySink sink, String run)
      throws InterruptedException {
    await("decision receiver reading")
        .atMost(Duration.ofSeconds(60))
        .until(() -> sink.receiverState().equals("RECEIVING"));
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId(run)
            .sampleEvery(5)
            .publishEvery(10)
            .weightStatistics(false)
            .checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
            .probeBatch(w.probeBatch(Split.VALID, 0))
            .decisionTimeout(Duration.ofSeconds(5))
            .build()
            .attach();
    w.trainEpoch(p -> {});
    listener.close();
    sink.flush();
    return listener;
  }

  /** The trainer's acks and refusals of {@code run}, in the order it sent them. */
  private static List<Event> outcomes(String run, int expected) {
    return KafkaRecords.read(
            kafka.bootstrapServers(),
            Topics.TELEMETRY,
            expected,
            r -> r.key().equals(run) && (r.value()[3] == 10 || r.value()[3] == 9))
        .stream()
        .map(r -> EventCodec.decode(r.value()))
        .toList();
  }

  private static double refusals(SimpleMeterRegistry registry, String reason) {
    return registry
        .get("prunewire.trainer.decision.refusals")
        .tags("reason", reason)
        .functionCounter()
        .count();
  }

  static void forge(
      String bootstrap, DecisionEvent d, List<org.apache.kafka.common.header.Header> headers)
      throws Exception {
    KafkaRecords.produce(bootstrap, Topics.DECISIONS, d.runId(), EventCodec.encode(d), headers);
  }

  /** A decision for every prunable layer of {@code w}, its keep bits set by {@code edit}. */
  static DecisionEvent decision(
      String run, String checkpointId, Workload w, java.util.function.Consumer<boolean[]> edit) {
    List<DecisionEvent.LayerDecision> layers = new ArrayList<>();
    for (PrunableLayer l : w.prunableLayers()) {
      boolean[] keep = new boolean[l.neurons()];
      Arrays.fill(keep, true);
      edit.accept(keep);
      layers.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
    }
    return new DecisionEvent(
        new Header(run, "forger", 0, System.currentTimeMillis()),
        checkpointId,
        layers,
        Map.of(),
        "forged",
        List.of());
  }

  private static DecisionEvent bogusLayer(String run, String checkpointId) {
    return new DecisionEvent(
        new Header(run, "forger", 0, System.currentTimeMillis()),
        checkpointId,
        List.of(
            new DecisionEvent.LayerDecision("bogus", new boolean[] {true, false}, new float[2])),
        Map.of(),
        "forged",
        List.of());
  }
}
