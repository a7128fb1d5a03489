package io.prunewire.service;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finds an enum constant by the name a setting gives it, or names every valid one. */
final class SettingChoices {

  private SettingChoices() {}

  /**
   * @throws IllegalArgumentException "{@code setting} must be one of ..., got '{@code given}'"
   */
  static <E extends Enum<E>> E byName(
      E[] values, Function<E, String> name, String setting, String given) {
    for (E value : values) {
      if (name.apply(value).equals(given)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        setting
            + " must be one of "
            + Arrays.stream(values).map(name).collect(Collectors.joining(", "))
            + ", got '"
            + given
            + "'");
  }
}
