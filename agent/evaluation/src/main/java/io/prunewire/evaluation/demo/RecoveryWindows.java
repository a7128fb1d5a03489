package io.prunewire.evaluation.demo;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a removal candidate's recovery steps train ({@link PruningPlan#recovery}). The candidate is
 * measured on test window 0 either way, disjoint from the validation split behind every reported
 * perplexity.
 */
public enum RecoveryWindows {
  /**
   * Test windows 2-5, one per step in turn: a long recovery passes over them again and again and
   * fits them (100 steps = 25 passes), which raises the loss it is measured by.
   */
  TEST,
  /**
   * As many training windows as there are steps, spread evenly over the training split, each used
   * once: a preview of the training to come on text the model trains on anyway.
   */
  TRAIN;

  /**
   * How reports name the windows: {@code test} or {@code training} (as in "on training windows").
   */
  public String noun() {
    return this == TEST ? "test" : "training";
  }

  /**
   * Checks that these windows go with {@code recoverySteps}: training windows are chosen per
   * recovery step, so they need at least one.
   *
   * @throws IllegalArgumentException naming the windows and the option to set
   */
  public void requireRecoverySteps(int recoverySteps) {
    if (this != TEST && recoverySteps == 0) {
      throw new IllegalArgumentException(
          "recovery windows "
              + settingName()
              + " need recovery steps (--recovery-steps N, N >= 1)");
    }
  }

  /** The name as options spell it: {@code test} or {@code train}. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the valid names
   */
  public static RecoveryWindows parse(String name) {
    for (RecoveryWindows w : values()) {
      if (w.settingName().equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "recovery windows must be one of "
            + Arrays.stream(values()).map(RecoveryWindows::settingName).toList()
            + ", got '"
            + name
            + "'");
  }
}
