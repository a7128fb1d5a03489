package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.RecoveryWindows;
import io.prunewire.service.FusionChoice;
import java.util.Objects;
import java.util.Optional;

/**
 * How the during-training arm {@link HeadlineRows.Arms#AGENT} runs the agent: its fusion and, for
 * the outcome fusion, how many recovery steps follow each removal candidate before it is measured.
 * The defaults are {@link #defaults(int)}; other values measure a variant on the same seeds and
 * schedule as the gradual-magnitude arm.
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
    try {
      recoveryWindows.requireRecoverySteps(recoverySteps);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("compare: " + e.getMessage(), e);
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

  /** Recovery steps of {@link #defaults(int)} when training is long enough. */
  static final int DEFAULT_RECOVERY_STEPS = 100;

  /** What a stored seed identity holds after the common settings when its arm is named. */
  static final String IDENTITY_PREFIX = ", agentFusion=";

  /**
   * The default arm: the agent's default fusion with candidates measured after {@code min(100,
   * trainSteps / 10)} recovery steps on training windows ({@link RecoveryWindows#TRAIN}). On the
   * compare model this matched gradual magnitude pruning during training (median ratio 0.997 over
   * three seeds) where 20 steps on test windows, the default before, lost to it on every seed
   * (1.011); a recovery is a short look ahead, so --quick's 30-step runs use 3 steps.
   */
  public static AgentArm defaults(int trainSteps) {
    int steps = Math.min(DEFAULT_RECOVERY_STEPS, trainSteps / 10);
    return new AgentArm(
        Names.OUTCOME, steps, steps > 0 ? RecoveryWindows.TRAIN : RecoveryWindows.TEST);
  }

  /**
   * The default arm until 2026-12-07: {@code min(20, trainSteps / 10)} recovery steps on test
   * windows. Seed results measured with it carry no arm in their identity, as they were stored
   * before the arm was selectable.
   */
  static AgentArm firstDefault(int trainSteps) {
    return new AgentArm(Names.OUTCOME, Math.min(20, trainSteps / 10));
  }

  /**
   * How reports name this arm when it is not the default one, e.g. {@code outcome, 100 recovery
   * steps on training windows}; empty for the defaults.
   */
  Optional<String> describe(int trainSteps) {
    if (equals(defaults(trainSteps))) {
      return Optional.empty();
    }
    return Optional.of(
        fusion
            + (fusion.equals(Names.OUTCOME)
                ? ", " + recoverySteps + " recovery steps on " + recoveryWindows.noun() + " windows"
                : ""));
  }

  /**
   * This arm's part of a seed's headline identity: empty for {@link #firstDefault}, so that results
   * measured before the arm was selectable are still recognised.
   */
  String identity(int trainSteps) {
    return equals(firstDefault(trainSteps))
        ? ""
        : IDENTITY_PREFIX
            + fusion
            + ", recoverySteps="
            + recoverySteps
            + (recoveryWindows == RecoveryWindows.TEST
                ? ""
                : ", recoveryWindows=" + recoveryWindows.settingName());
  }
}
