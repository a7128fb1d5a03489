package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadlineSectionTest {

  private static final HeadlineRows.Row ROW =
      new HeadlineRows.Row(7, 640.0, 650.0, "taylor", 600.0, 800.0, 520.0, 590.0, 570.0, 583.0);

  @Test
  void theDuringTrainingArmIsNamedByTheFusionItRan() {
    String byDefault =
        HeadlineSection.markdown(new HeadlineRows(0.5, "outcome", "outcome", List.of(ROW)));
    String chosen =
        HeadlineSection.markdown(
            new HeadlineRows(0.5, "outcome", "criterion:fisher", List.of(ROW)));

    assertThat(byDefault).contains("with the default fusion and by gradual magnitude pruning");
    assertThat(chosen)
        .contains(
            "with the fusion `criterion:fisher` (chosen by `--agent-fusion`, not the default)")
        .doesNotContain("with the default fusion");
  }
}
