package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.DemoSettings;
import io.prunewire.evaluation.demo.RecoveryWindows;
import io.prunewire.service.FusionChoice;
import java.util.Objects;
import java.util.Optional;

/**
 * How the during-training arm {@link HeadlineRows.Arms#AGENT} runs the agent: its fusion and, for
 * the outcome fusion, how many recovery steps follow each removal candidate before it is measured.
 * The defaults are the agent's default fusion and {@link #defaultRecoverySteps(int)}; other values
 * measure a variant on the same seeds and schedule as the gradual-magnitude arm.
 *
 * @param fusion the agent's {@code fusion} setting ({@code outcome}, {@code learned}, {@code
 *     simple}, {@code seed}, {@code adaptive} or {@code criterion:<name>})
 * @param recoverySteps training steps between a candidate's removal and its measurement (outcome
 *     fusion only; 0 = the immediate damage)
 * @param recoveryWindows where those steps train (with recovery steps only)
 */
public record AgentArm(String fusion, int recoverySteps, RecoveryWindows recoveryWindows) {

  public AgentArm {
    Objects.requireNonNull(fusion, "fusion");
    try {
      FusionChoice.parse(fusion);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("compare: agent " + e.getMessage(), e);
    }
    if (recoverySteps < 0) {
      throw new IllegalArgumentException(
          "compare: recovery steps must be >= 0, got " + recoverySteps);
    }
    Objects.requireNonNull(recoveryWindows, "recoveryWindows");
    if (recoveryWindows != RecoveryWindows.TEST && recoverySteps == 0) {
      throw new IllegalArgumentException(
          "compare: recovery windows "
              + recoveryWindows.settingName()
              + " need recovery steps (--recovery-steps N, N >= 1)");
    }
    if (recoverySteps > 0 && !fusion.equals(Names.OUTCOME)) {
      throw new IllegalArgumentException(
          "compare: recovery steps apply to the outcome fusion only; the agent fusion is "
              + fusion);
    }
  }

  /** Recovery on the default windows ({@link RecoveryWindows#TEST}). */
  public AgentArm(String fusion, int recoverySteps) {
    this(fusion, recoverySteps, RecoveryWindows.TEST);
  }

  /** The agent's default fusion with {@link #defaultRecoverySteps(int)}. */
  public static AgentArm defaults(int trainSteps) {
    return new AgentArm(Names.OUTCOME, defaultRecoverySteps(trainSteps));
  }

  /**
   * {@link DemoSettings#RECOVERY_STEPS}, but never more than a tenth of the training steps: a
   * recovery is a short look ahead, and --quick's 30-step runs stay quick (3 steps).
   */
  public static int defaultRecoverySteps(int trainSteps) {
    return Math.min(DemoSettings.RECOVERY_STEPS, trainSteps / 10);
  }

  /**
   * How reports name this arm when it is not the default one, e.g. {@code outcome, 100 recovery
   * steps on training windows}; empty for the defaults.
   */
  Optional<String> describe(int trainSteps) {
    if (equals(defaults(trainSteps))) {
      return Optional.empty();
    }
    String windows = recoveryWindows == RecoveryWindows.TEST ? "test" : "training";
    return Optional.of(
        fusion
            + (fusion.equals(Names.OUTCOME)
                ? ", " + recoverySteps + " recovery steps on " + windows + " windows"
                : ""));
  }

  /**
   * This arm's part of a seed's headline identity: empty for the defaults, so that results measured
   * before the arm was selectable are still recognised.
   */
  String identity(int trainSteps) {
    return equals(defaults(trainSteps))
        ? ""
        : ", agentFusion="
            + fusion
            + ", recoverySteps="
            + recoverySteps
            + (recoveryWindows == RecoveryWindows.TEST
                ? ""
                : ", recoveryWindows=" + recoveryWindows.settingName());
  }
}
