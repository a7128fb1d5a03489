package io.prunewire.service.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AgentThroughputTest {

  @Test
  void percentileIsTheNearestRankOfTheSortedValues() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      values.add((double) i);
    }
    Collections.shuffle(values, new Random(3));
    // Nearest rank: the smallest value with at least q·n values at or below it.
    assertThat(AgentThroughput.percentile(values, 0.5)).isEqualTo(100.0);
    assertThat(AgentThroughput.percentile(values, 0.99)).isEqualTo(198.0);
    assertThat(AgentThroughput.percentile(values, 1.0)).isEqualTo(200.0);
    assertThat(AgentThroughput.percentile(List.of(7.0), 0.99)).isEqualTo(7.0);
    assertThat(AgentThroughput.percentile(List.of(), 0.5)).isNaN();
  }

  @Test
  void settingsRejectNonsense() {
    assertThatThrownBy(() -> new AgentThroughput.Settings(0, 1300, Duration.ofSeconds(1), 10, 1, 0))
        .hasMessageContaining("trainers");
    assertThatThrownBy(() -> new AgentThroughput.Settings(2, 1300, Duration.ZERO, 10, 1, 0))
        .hasMessageContaining("duration");
    assertThatThrownBy(
            () -> new AgentThroughput.Settings(2, 1300, Duration.ofSeconds(1), 10, 1, -1))
        .hasMessageContaining("rate");
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
