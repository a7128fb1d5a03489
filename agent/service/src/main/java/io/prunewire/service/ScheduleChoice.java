package io.prunewire.service;

/** Who sets a checkpoint's target sparsity, by the name the {@code schedule} setting gives it. */
public enum ScheduleChoice {
  /** The trainer, through its {@code plannedRemovals} (default). */
  TRAINER("trainer"),
  /** The agent: {@code target.sparsity} at once at {@code schedule.start}. */
  ONE_SHOT("one-shot"),
  /** The agent: a linear ramp from 0 to {@code target.sparsity}. */
  LINEAR("linear"),
  /** The agent: Zhu &amp; Gupta's (2017) cubic ramp from 0 to {@code target.sparsity}. */
  CUBIC("cubic");

  private final String settingName;

  ScheduleChoice(String settingName) {
    this.settingName = settingName;
  }

  /** The name in the {@code schedule} setting. */
  public String settingName() {
    return settingName;
  }

  /**
   * @throws IllegalArgumentException naming the valid names if {@code name} is none of them
   */
  public static ScheduleChoice of(String name) {
    return SettingChoices.byName(values(), ScheduleChoice::settingName, "schedule", name);
  }
}
