package io.prunewire.service;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Finds an enum constant by the name a setting gives it, or names every valid one. */
final class SettingChoices {

  private SettingChoices() {}

  /**
   * @throws IllegalArgumentException "{@code setting} must be one of ..., got '{@code given}'",
   *     with the nearest valid name when one is close
   */
  static <E extends Enum<E>> E byName(
      E[] values, Function<E, String> name, String setting, String given) {
    for (E value : values) {
      if (name.apply(value).equals(given)) {
        return value;
      }
    }
    List<String> names = Arrays.stream(values).map(name).toList();
    throw new IllegalArgumentException(
        setting
            + " must be one of "
            + String.join(", ", names)
            + ", got '"
            + given
            + "'"
            + NearestName.hint(given, names));
  }
}
