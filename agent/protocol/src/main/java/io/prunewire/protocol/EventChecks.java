package io.prunewire.protocol;

import java.util.Collection;
import java.util.Map;

/** Argument checks shared by the event records; each failure names the field and its reason. */
final class EventChecks {
  /** Longest string on the wire, in UTF-8 bytes; guards the decoder against absurd lengths. */
  static final int MAX_STRING_BYTES = 65_535;

  private EventChecks() {}

  static String nonEmpty(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidEventException(
          RejectReason.MALFORMED, field + ": must be a non-empty string");
    }
    return value;
  }

  /**
   * A run, trainer, layer or checkpoint id: non-empty and free of control characters (U+0000 to
   * U+001F), because the agent joins ids with U+001F into its store keys — an id containing it
   * could name another run's or layer's state.
   */
  static String identifier(String field, String value) {
    nonEmpty(field, value);
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < 0x20) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            String.format(
                "%s: control character U+%04X at index %d; ids may not contain U+0000 to U+001F",
                field, (int) value.charAt(i), i));
      }
    }
    return value;
  }

  static String notNull(String field, String value) {
    if (value == null) {
      throw new InvalidEventException(RejectReason.MALFORMED, field + ": must not be null");
    }
    return value;
  }

  static <T> T present(String field, T value) {
    if (value == null) {
      throw new InvalidEventException(RejectReason.MALFORMED, field + ": must not be null");
    }
    return value;
  }

  static <C extends Collection<?>> C noNulls(String field, C values) {
    present(field, values);
    for (Object v : values) {
      present(field + " element", v);
    }
    return values;
  }

  static <M extends Map<?, ?>> M noNullEntries(String field, M values) {
    present(field, values);
    values.forEach(
        (k, v) -> {
          present(field + " key", k);
          present(field + "[" + k + "]", v);
        });
    return values;
  }

  static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT, field + ": must be >= 0, was " + value);
    }
    return value;
  }

  static int positive(String field, int value) {
    if (value <= 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT, field + ": must be >= 1, was " + value);
    }
    return value;
  }

  static double finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw WireChecks.nonFinite(field, value);
    }
    return value;
  }

  /** The value rounded to float32, as the wire carries it; rejects values float32 cannot hold. */
  static double float32(String field, double value) {
    finite(field, value);
    float f = (float) value;
    if (!Float.isFinite(f)) {
      throw new InvalidEventException(
          RejectReason.NON_FINITE, field + ": " + value + " exceeds the float32 range");
    }
    return f;
  }

  static float[] finite(String field, float[] values) {
    present(field, values);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw WireChecks.nonFinite(field + "[" + i + "]", values[i]);
      }
    }
    return values;
  }
}
