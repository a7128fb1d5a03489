package io.prunewire.evaluation.compare;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.DoubleStream;

/** How the report prints numbers: fixed decimals, {@code n/a} for a value that is null or NaN. */
final class Cells {

  static final String NA = "n/a";

  private Cells() {}

  /**
   * {@code value} with {@code decimals} decimals, {@code ∞} for an infinity, {@link #NA} for null
   * or NaN.
   */
  static String fixed(Double value, int decimals) {
    if (value == null || value.isNaN()) {
      return NA;
    }
    if (value.isInfinite()) {
      return value > 0 ? "∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** A perplexity, two decimals. */
  static String ppl(Double value) {
    return fixed(value, 2);
  }

  /** A correlation or overlap in [−1, 1], three decimals. */
  static String rho(Double value) {
    return fixed(value, 3);
  }

  /** A fraction as a percentage, e.g. {@code 0.5} → {@code 50 %}. */
  static String percent(double fraction) {
    double p = fraction * 100;
    // 0.57 · 100 is 56.99999999999999: a whole percentage within rounding prints without decimals.
    boolean whole = Math.abs(p - Math.rint(p)) < 1e-9;
    return String.format(Locale.ROOT, whole ? "%.0f %%" : "%.1f %%", p);
  }

  /** {@code text} in bold when {@code best}. */
  static String bold(String text, boolean best) {
    return best ? "**" + text + "**" : text;
  }

  /** A loss change in nats/token, four significant digits. */
  static String loss(Double value) {
    return significant(value, 4);
  }

  /** Milliseconds, three significant digits. */
  static String millis(Double value) {
    return significant(value, 3);
  }

  private static String significant(Double value, int digits) {
    if (!defined(value) || value.isInfinite() || value == 0) {
      return fixed(value, 0);
    }
    return String.format(Locale.ROOT, "%." + digits + "g", value);
  }

  /** The lowest (or highest) defined value of {@code values}, NaN when none is defined. */
  static double best(Collection<Double> values, boolean lowest) {
    DoubleStream defined = values.stream().filter(Cells::defined).mapToDouble(Double::doubleValue);
    return (lowest ? defined.min() : defined.max()).orElse(Double.NaN);
  }

  /** {@code text} in bold when {@code value} equals the column's {@code best}. */
  static String boldIfBest(String text, Double value, double best) {
    return bold(text, defined(value) && value == best);
  }

  /** Whether {@code value} is a number that can be compared (neither null nor NaN). */
  static boolean defined(Double value) {
    return value != null && !value.isNaN();
  }
}
