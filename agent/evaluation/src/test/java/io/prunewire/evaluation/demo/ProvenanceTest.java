package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.trainer.model.WorkloadConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a committed report records of a run's paths. */
class ProvenanceTest {

  private static DemoSettings reportingTo(Path report) {
    return new DemoSettings(
        16,
        8,
        8,
        40,
        2,
        0.5,
        0.5,
        100,
        10,
        4,
        2,
        2,
        1,
        0,
        report,
        WorkloadConfig.builder().build(),
        "outcome",
        DemoSettings.RECOVERY_STEPS);
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
