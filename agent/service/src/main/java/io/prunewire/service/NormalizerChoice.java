package io.prunewire.service;

import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;

/** Per-layer normalisations of the criteria, by the name the {@code normalizer} setting gives. */
public enum NormalizerChoice {
  /** Ranks scaled into [0, 1]: insensitive to outliers and units (default). */
  RANK("rank"),
  /** Median/MAD z-score squashed into (0, 1). */
  ROBUST_Z("robust_z"),
  /** {@code (x - min) / (max - min)}: keeps relative gaps. */
  MIN_MAX("min_max");

  private final String settingName;

  NormalizerChoice(String settingName) {
    this.settingName = settingName;
  }

  /** The name in the {@code normalizer} setting, as the scorers library names the normaliser. */
  public String settingName() {
    return settingName;
  }

  /** The scorers library's normaliser of this name. */
  public Normalizer normalizer() {
    return Normalizers.byName(settingName);
  }

  /**
   * @throws IllegalArgumentException naming the valid names if {@code name} is none of them
   */
  public static NormalizerChoice of(String name) {
    return SettingChoices.byName(values(), NormalizerChoice::settingName, "normalizer", name);
  }
}
