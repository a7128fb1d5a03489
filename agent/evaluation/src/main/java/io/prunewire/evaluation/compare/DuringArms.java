package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.Demo;
import io.prunewire.evaluation.demo.DemoSettings;
import io.prunewire.evaluation.demo.RecoveryWindows;
import java.io.PrintStream;

/**
 * The during-training arms of one model seed: the model trained from scratch with the agent pruning
 * it to {@link CompareSettings#HALF} of its hidden neurons at the checkpoints of a cubic schedule,
 * once with the agent's default fusion, or the one {@link CompareSettings#agentArm()} selects
 * ({@link HeadlineRows.Arms#AGENT}), and once by gradual magnitude pruning through the same agent
 * and schedule ({@link HeadlineRows.Arms#GRADUAL_MAGNITUDE}, Zhu &amp; Gupta 2017). Each arm is a
 * whole {@code prunewire demo} run: embedded broker, agent, trainer.
 */
final class DuringArms {

  private DuringArms() {}

  /**
   * Steps every arm trains: {@code (checkpoints+1)·⌊trainSteps/(checkpoints+1)⌋ − 1}, see {@link
   * DemoSettings#trainedSteps()}.
   */
  static int steps(CompareSettings s) {
    return settings(s, s.agentArm().fusion(), "steps").trainedSteps();
  }

  /**
   * One arm ({@link HeadlineRows.Arms#AGENT} or {@link HeadlineRows.Arms#GRADUAL_MAGNITUDE}); its
   * report goes to {@code s.out()/schedule-<arm>/report.md}.
   */
  static MeasuredArm run(String arm, CompareSettings s, String commandLine, PrintStream out)
      throws Exception {
    String fusion =
        switch (arm) {
          case HeadlineRows.Arms.AGENT -> s.agentArm().fusion();
          case HeadlineRows.Arms.GRADUAL_MAGNITUDE -> "criterion:magnitude";
          default -> throw new IllegalArgumentException("no during-training arm " + arm);
        };
    DemoSettings d = settings(s, fusion, arm);
    out.println(
        "arm "
            + arm
            + " (model seed "
            + s.seed()
            + "): "
            + d.trainedSteps()
            + " steps with the agent (fusion "
            + fusion
            + ") ...");
    Demo.Outcome o = Demo.run(d, commandLine + "  # arm " + arm + ", model seed " + s.seed(), out);
    return new MeasuredArm(
        new CompareResult.Schedule(
            arm,
            "agent at "
                + s.checkpoints()
                + " checkpoints every "
                + d.checkpointEvery()
                + " steps, cubic schedule to 50 %, fusion "
                + fusion
                + (d.recoverySteps() > 0
                    ? ", candidates measured after "
                        + d.recoverySteps()
                        + " recovery steps on "
                        + d.recoveryWindows().noun()
                        + " windows"
                    : "")
                + "; report schedule-"
                + arm
                + "/report.md",
            d.trainedSteps(),
            o.keptNeurons(),
            o.endPerplexity(),
            o.seconds()),
        o.end());
  }

  private static DemoSettings settings(CompareSettings s, String fusion, String arm) {
    return DemoSettings.builder()
        .widths(s.embedding(), s.rnn(), s.snn())
        .steps(s.trainSteps())
        .schedule(s.checkpoints(), CompareSettings.HALF)
        .snnRatio(Compare.SNN_RATIO)
        .evaluation(s.evalTokens(), s.evalBatch())
        .probing(8, 4, s.probes())
        .seed(s.seed())
        .report(s.out().resolve("schedule-" + arm).resolve("report.md"))
        .recipe(Checkpoints.baseConfig())
        .fusion(fusion)
        .recoverySteps(arm.equals(HeadlineRows.Arms.AGENT) ? s.agentArm().recoverySteps() : 0)
        .recoveryWindows(
            arm.equals(HeadlineRows.Arms.AGENT)
                ? s.agentArm().recoveryWindows()
                : RecoveryWindows.TEST)
        .build();
  }
}
