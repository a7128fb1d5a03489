package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a committed report records of a run's paths. */
class ProvenanceTest {

  private static DemoSettings reportingTo(Path report) {
    return DemoSettings.builder()
        .widths(16, 8, 8)
        .steps(40)
        .schedule(2, 0.5)
        .evaluation(100, 10)
        .probing(4, 2, 2)
        .report(report)
        .recoverySteps(20)
        .build();
  }

  @Test
  void anAbsolutePathIsAPlaceholderAndARelativeOneStaysAsGiven() {
    assertThat(Provenance.shown(Path.of("/home/someone/runs/x"), "out")).isEqualTo("<out>");
    assertThat(Provenance.shown(Path.of("runs/x"), "out")).isEqualTo("runs/x");
  }

  @Test
  void demoSettingsShowTheReportPathOnlyWhenRelative() {
    String absolute = reportingTo(Path.of("/tmp/someone/seed-1/report.md")).toString();
    assertThat(absolute).contains("report=<report>,").doesNotContain("/tmp/someone");
    assertThat(reportingTo(Path.of("runs/demo/report.md")).toString())
        .startsWith("DemoSettings[embedding=16, rnn=8, snn=8, steps=40, checkpoints=2, target=0.5,")
        .contains("report=runs/demo/report.md, recipe=WorkloadConfig[")
        .endsWith(", fusion=outcome, recoverySteps=20]");
  }
}
