package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.ListenerWorkloads.hybrid;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.Topics;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.kafka.KafkaRecords;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.kafka.SinkMetrics;
import io.prunewire.trainer.model.PrunableLayer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.probe.AblationProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forged decisions of issue 13, written straight to the decisions topic, used to stop the
 * trainer (an all-pruned mask, a mask for an unknown layer); now each is refused with a
 * {@code DecisionRefusal} and a metric, and training goes on unpruned.
 */
class ForgedDecisionTest {

  static final String RUN = "run-forged";

  @Test
  void forgedDecisionsAreRefusedAndTrainingGoesOnUnpruned() throws Exception {
    Workload w = hybrid();
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      String bootstrap = kafka.bootstrapServers();
      forge(bootstrap, decision("step-10", w, keep -> Arrays.fill(keep, false)));
      forge(bootstrap, bogusLayer("step-20", w));
      forge(bootstrap, decision("step-30", w, keep -> keep[0] = false));
      try (KafkaTelemetrySink sink = KafkaTelemetrySink.builder(bootstrap, RUN, "trainer-0").build()) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkMetrics.bind(sink, registry);
        PruningListener listener = PruningListener.builder(w).sink(sink).runId(RUN).sampleEvery(5).publishEvery(10)
            .weightStatistics(false).checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
            .probeBatch(w.probeBatch(Split.VALID, 0)).decisionTimeout(Duration.ofSeconds(20)).build().attach();
        w.trainEpoch(p -> {});
        listener.close();
        sink.flush();

        List<Event> sent = KafkaRecords.read(bootstrap, Topics.TELEMETRY, 3,
                r -> r.value()[3] == 10 || r.value()[3] == 9).stream()
            .map(r -> EventCodec.decode(r.value())).toList();
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
  }

  private static double refusals(SimpleMeterRegistry registry, String reason) {
    return registry.get("prunewire.trainer.decision.refusals").tags("reason", reason).functionCounter().count();
  }

  static void forge(String bootstrap, DecisionEvent d) throws Exception {
    KafkaRecords.produce(bootstrap, Topics.DECISIONS, d.runId(), EventCodec.encode(d), List.of());
  }

  /** A decision for every prunable layer of {@code w}, its keep bits set by {@code edit}. */
  static DecisionEvent decision(String checkpointId, Workload w, java.util.function.Consumer<boolean[]> edit) {
    List<DecisionEvent.LayerDecision> layers = new ArrayList<>();
    for (PrunableLayer l : w.prunableLayers()) {
      boolean[] keep = new boolean[l.neurons()];
      Arrays.fill(keep, true);
      edit.accept(keep);
      layers.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
    }
    return new DecisionEvent(new Header(RUN, "forger", 0, System.currentTimeMillis()), checkpointId, layers,
        Map.of(), "forged", List.of());
  }

  private static DecisionEvent bogusLayer(String checkpointId, Workload w) {
    return new DecisionEvent(new Header(RUN, "forger", 0, System.currentTimeMillis()), checkpointId,
        List.of(new DecisionEvent.LayerDecision("bogus", new boolean[] {true, false}, new float[2])),
        Map.of(), "forged", List.of());
  }
}
