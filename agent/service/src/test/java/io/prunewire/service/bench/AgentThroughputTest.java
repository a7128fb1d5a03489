package io.prunewire.service.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentThroughputTest {

  private static AgentThroughput.Settings settings(
      int instances, int processes, int runs, List<Double> rates, Duration commit) {
    return new AgentThroughput.Settings(
        instances, processes, runs, 2, 1300, rates, Duration.ofSeconds(5), 10, 2, commit, true);
  }

  @Test
  void settingsRejectNonsenseNamingIt() {
    Duration ms = Duration.ofMillis(500);
    assertThatThrownBy(() -> settings(0, 1, 2, List.of(100.0), ms))
        .hasMessageContaining("instances");
    assertThatThrownBy(() -> settings(1, 5, 2, List.of(100.0), ms))
        .hasMessageContaining("trainer processes (5)");
    assertThatThrownBy(() -> settings(1, 1, 2, List.of(), ms)).hasMessageContaining("rate");
    assertThatThrownBy(() -> settings(1, 1, 2, List.of(-1.0), ms)).hasMessageContaining("-1.0");
    assertThatThrownBy(() -> settings(1, 1, 2, List.of(10.0), Duration.ZERO))
        .hasMessageContaining("commit interval");
    assertThat(settings(1, 4, 2, List.of(0.0, 500.0), ms).plannedRemovals()).isEqualTo(13);
  }

  @Test
  void runIdsGoRoundRobinOverThePartitions() {
    List<String> ids = AgentThroughput.runIds("bench-l0", 6, 3);
    assertThat(ids).hasSize(6).doesNotHaveDuplicates();
    assertThat(ids.stream().map(id -> AgentThroughput.partition(id, 3)))
        .containsExactly(0, 1, 2, 0, 1, 2);
  }

  @Test
  void latencyQuantilesInterpolateInsideTheHistogramBucket() {
    String before =
        """
        # TYPE prunewire_decision_latency_seconds histogram
        prunewire_decision_latency_seconds_bucket{le="0.01"} 2
        prunewire_decision_latency_seconds_bucket{le="0.05"} 2
        prunewire_decision_latency_seconds_bucket{le="+Inf"} 2
        prunewire_decisions_total{reason="complete"} 2
        prunewire_decisions_total{reason="timeout"} 0
        prunewire_state_bytes{store="evidence"} 100
        """;
    String after =
        """
        prunewire_decision_latency_seconds_bucket{le="0.01"} 2
        prunewire_decision_latency_seconds_bucket{le="0.05"} 102
        prunewire_decision_latency_seconds_bucket{le="+Inf"} 202
        prunewire_decisions_total{reason="complete"} 200
        prunewire_decisions_total{reason="timeout"} 2
        prunewire_state_bytes{store="evidence"} 700
        prunewire_state_bytes{store="runs"} 50
        """;
    AgentScrape delta = AgentScrape.parse(after).minus(AgentScrape.parse(before));
    // 198 more barriers completed; the two that timed out are not counted
    assertThat(delta.decisions()).isEqualTo(198);
    assertThat(delta.stateBytes()).isEqualTo(650);
    // 200 new: none up to 10 ms, 100 between 10 and 50 ms, 100 beyond; rank q·200 = 50 lies
    // halfway into the 10–50 ms bucket
    assertThat(delta.latencyMillis(0.25)).isCloseTo(10 + 40 * 0.5, within(1e-9));
    assertThat(delta.latencyMillis(0.125)).isCloseTo(10 + 40 * 0.25, within(1e-9));
    // beyond the last finite bound the estimate is that bound
    assertThat(delta.latencyMillis(0.99)).isCloseTo(50, within(1e-9));
    assertThat(AgentScrape.EMPTY.latencyMillis(0.5)).isNaN();
  }

  @Test
  void syntheticTrainerSendsFourSummariesPerLayer() {
    SyntheticTrainer t = new SyntheticTrainer("run", "t0", 2, 50, 1);
    assertThat(t.summaries(3))
        .hasSize(t.summaryCount())
        .hasSize(8)
        .allSatisfy(e -> assertThat(e.step()).isEqualTo(3));
    assertThat(t.neurons()).isEqualTo(100);
    assertThat(t.started().layers()).extracting(l -> l.neurons()).containsExactly(50, 50);
  }
}
