package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

  private static DemoSettings.Builder complete() {
    return DemoSettings.builder()
        .widths(16, 8, 4)
        .steps(40)
        .schedule(2, 0.5)
        .evaluation(100, 10)
        .probing(4, 2, 3)
        .report(Path.of("r.md"));
  }

  @Test
  void theBuilderSetsEachSettingByName() {
    DemoSettings s = complete().seed(7).metricsPort(9400).fusion("simple").recoverySteps(5).build();

    assertThat(s.embedding()).isEqualTo(16);
    assertThat(s.rnn()).isEqualTo(8);
    assertThat(s.snn()).isEqualTo(4);
    assertThat(s.checkpoints()).isEqualTo(2);
    assertThat(s.target()).isEqualTo(0.5);
    assertThat(s.evalTokens()).isEqualTo(100);
    assertThat(s.evalBatch()).isEqualTo(10);
    assertThat(s.singles()).isEqualTo(4);
    assertThat(s.groups()).isEqualTo(2);
    assertThat(s.probes()).isEqualTo(3);
    assertThat(s.seed()).isEqualTo(7);
    assertThat(s.metricsPort()).isEqualTo(9400);
    assertThat(s.fusion()).isEqualTo("simple");
    assertThat(s.recoverySteps()).isEqualTo(5);
    assertThat(complete().build().recoverySteps()).as("no recovery unless set").isZero();
  }

  @Test
  void anUnsetRequiredSettingIsRefusedByName() {
    assertThatThrownBy(() -> DemoSettings.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("embedding must be >= 1");
    assertThatThrownBy(() -> complete().schedule(2, 0).build())
        .hasMessageContaining("target sparsity");
    assertThatThrownBy(() -> complete().report(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("report");
  }
}
