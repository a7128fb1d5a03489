package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.ListenerWorkloads.hybrid;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Header;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TrainingMetricsTest {

  @Test
  void gaugesHoldTheLastValuesAndAppearOnFirstUse() {
    MeterRegistry registry = new SimpleMeterRegistry();
    TrainingMetrics metrics = TrainingMetrics.register(registry, "r", "t0");
    assertThat(registry.find("prunewire.trainer.validation.perplexity").gauge()).isNull();
    assertThat(registry.find("prunewire.trainer.decision.heldout.loss").gauge()).isNull();
    assertThat(
            registry
                .get("prunewire.trainer.decisions.applied")
                .tags("run", "r", "trainer", "t0")
                .counter()
                .count())
        .isZero();

    metrics.window(120, 5.5, 900);
    metrics.validationPerplexity(410);
    metrics.validationPerplexity(380);
    metrics.decisionApplied(5.0, 5.25);

    assertThat(gauge(registry, "prunewire.trainer.step")).isEqualTo(120);
    assertThat(gauge(registry, "prunewire.trainer.training.loss")).isEqualTo(5.5);
    assertThat(gauge(registry, "prunewire.trainer.tokens.per.second")).isEqualTo(900);
    assertThat(gauge(registry, "prunewire.trainer.validation.perplexity")).isEqualTo(380);
    assertThat(
            registry
                .get("prunewire.trainer.decision.heldout.loss")
                .tag("when", "before")
                .gauge()
                .value())
        .isEqualTo(5.0);
    assertThat(
            registry
                .get("prunewire.trainer.decision.heldout.loss")
                .tag("when", "after")
                .gauge()
                .value())
        .isEqualTo(5.25);
    assertThat(registry.get("prunewire.trainer.decisions.applied").counter().count()).isEqualTo(1);
  }

  @Test
  void theListenerReportsKeptNeuronsAndEachDecisionsHeldOutLoss() {
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    // An in-process agent: the k-th checkpoint prunes neurons 0 .. k-1 of every layer.
    List<String> decided = new ArrayList<>();
    sink.subscribe(
        e -> {
          if (e instanceof CheckpointEvent c) {
            decided.add(c.checkpointId());
            List<DecisionEvent.LayerDecision> layers = new ArrayList<>();
            for (PrunableLayer l : w.prunableLayers()) {
              boolean[] keep = new boolean[l.neurons()];
              Arrays.fill(keep, true);
              Arrays.fill(keep, 0, decided.size(), false);
              layers.add(new DecisionEvent.LayerDecision(l.name(), keep, new float[l.neurons()]));
            }
            sink.deliver(
                new DecisionEvent(
                    new Header("r", "agent", c.step(), 1),
                    c.checkpointId(),
                    layers,
                    new LinkedHashMap<>(),
                    "test",
                    List.of()));
          }
        });
    MeterRegistry registry = new SimpleMeterRegistry();
    TrainingMetrics metrics = TrainingMetrics.register(registry, "r", "t0");
    PruningListener.builder(new WorkloadNetwork(w))
        .sink(sink)
        .runId("r")
        .trainerId("t0")
        .sampleEvery(5)
        .publishEvery(10)
        .checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
        .probeBatch(w.probeBatch(Split.VALID, 0))
        .decisionTimeout(Duration.ofSeconds(5))
        .metrics(metrics)
        .build()
        .attach();
    for (PrunableLayer l : w.prunableLayers()) {
      assertThat(kept(registry, l)).isEqualTo(l.neurons());
    }

    w.trainEpoch(p -> {});

    int checkpoints = decided.size();
    assertThat(checkpoints).isGreaterThan(1);
    for (PrunableLayer l : w.prunableLayers()) {
      assertThat(kept(registry, l)).isEqualTo(l.neurons() - checkpoints);
    }
    assertThat(registry.get("prunewire.trainer.decisions.applied").counter().count())
        .isEqualTo(checkpoints);
    double before =
        registry
            .get("prunewire.trainer.decision.heldout.loss")
            .tag("when", "before")
            .gauge()
            .value();
    double after =
        registry
            .get("prunewire.trainer.decision.heldout.loss")
            .tag("when", "after")
            .gauge()
            .value();
    assertThat(before).isFinite().isPositive();
    // the last decision removed one more neuron per layer: the probe loss moved
    assertThat(after).isFinite().isNotEqualTo(before);
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).tags("run", "r", "trainer", "t0").gauge().value();
  }

  private static double kept(MeterRegistry registry, PrunableLayer l) {
    return registry
        .get("prunewire.trainer.neurons.kept")
        .tags("layer", l.name(), "type", l.kind().name().toLowerCase(Locale.ROOT))
        .gauge()
        .value();
  }
}
