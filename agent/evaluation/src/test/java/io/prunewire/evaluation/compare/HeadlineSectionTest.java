package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.demo.RecoveryWindows;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadlineSectionTest {

  private static final int TRAIN_STEPS = 3184;

  private static final HeadlineRows.Row ROW =
      new HeadlineRows.Row(7, 640.0, 650.0, "taylor", 600.0, 800.0, 520.0, 590.0, 570.0, 583.0);

  @Test
  void theDuringTrainingArmIsNamedByTheFusionAndRecoveryItRan() {
    String byDefault = markdown(AgentArm.defaults(TRAIN_STEPS));
    String chosen = markdown(new AgentArm("criterion:fisher", 0));
    String firstDefault = markdown(new AgentArm("outcome", 20, RecoveryWindows.TEST));

    assertThat(byDefault)
        .contains(
            "with the default arm (the default fusion, its removal candidates measured after 100"
                + " recovery steps on training windows, at most a tenth of the training steps) and by"
                + " gradual magnitude pruning");
    assertThat(chosen)
        .contains("with the agent arm `criterion:fisher` (not the default arm")
        .doesNotContain("with the default arm");
    assertThat(firstDefault)
        .contains(
            "with the agent arm `outcome, 20 recovery steps on test windows` (not the default arm")
        .doesNotContain("with the default arm");
  }

  private static String markdown(AgentArm arm) {
    return HeadlineSection.markdown(
        new HeadlineRows(
            0.5, "outcome", arm.fusion(), arm.describe(TRAIN_STEPS).orElse(null), List.of(ROW)));
  }
}
