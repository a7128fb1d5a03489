package io.prunewire.trainer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryTelemetrySinkTest {

  private static Header header(long step) {
    return new Header("run", "t1", step, 1L);
  }

  private static DecisionEvent decision(String checkpoint, boolean keepFirst) {
    return new DecisionEvent(
        new Header("run", "agent", 10, 1L),
        checkpoint,
        List.of(
            new DecisionEvent.LayerDecision(
                "l", new boolean[] {keepFirst, true}, new float[] {1f, 2f})),
        Map.of(),
        "test",
        List.of());
  }

  @Test
  void keepsEventsInOrderAndFiltersByType() {
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    List<Event> seen = new ArrayList<>();
    sink.subscribe(seen::add);
    CheckpointEvent c = new CheckpointEvent(header(5), "c1", 3);
    DecisionAck a = new DecisionAck(header(6), "c1", 42L);
    sink.publish(c);
    sink.publish(a);
    assertThat(sink.events()).containsExactly(c, a);
    assertThat(sink.events(DecisionAck.class)).containsExactly(a);
    assertThat(seen).containsExactly(c, a);
  }

  @Test
  void awaitTimesOutWithoutDecisionAndReturnsTheFirstDeliveredOne() throws Exception {
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    assertThat(sink.awaitDecision("run", "c1", Duration.ofMillis(20))).isEmpty();
    DecisionEvent first = decision("c1", false);
    Thread agent =
        new Thread(
            () -> {
              sink.deliver(decision("other", true));
              sink.deliver(first);
              sink.deliver(decision("c1", true));
            });
    agent.start();
    Optional<DecisionEvent> got = sink.awaitDecision("run", "c1", Duration.ofSeconds(10));
    agent.join();
    assertThat(got).contains(first);
    assertThat(sink.awaitDecision("other-run", "c1", Duration.ZERO)).isEmpty();
  }

  @Test
  void rejectsPublishingAfterClose() {
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    sink.close();
    assertThatThrownBy(() -> sink.publish(new CheckpointEvent(header(1), "c", 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
