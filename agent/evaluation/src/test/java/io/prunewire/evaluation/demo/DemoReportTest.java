package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoReportTest {

  @Test
  void theSummaryEndsWhereTheDecisionsBegin() {
    String tables = "# Demo\n\n## Checkpoints\n\n| a |\n";
    assertThat(DemoReport.summary(tables + "\n## Decisions\n\n- c1: why\n\n## Provenance\n"))
        .isEqualTo(tables);
    assertThat(DemoReport.summary(tables)).isEqualTo(tables);
  }
}
