package io.prunewire.scorers.stats;

/** Argument validation shared by the accumulators; every message names the owner and the field. */
final class ArgumentChecks {
  private ArgumentChecks() {}

  static int neurons(String owner, int neurons) {
    if (neurons <= 0) {
      throw new IllegalArgumentException(owner + ": neurons must be positive, got " + neurons);
    }
    return neurons;
  }

  static void notNull(String owner, String field, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(owner + "." + field + " must not be null");
    }
  }

  static void length(String owner, String field, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          owner + "." + field + " has length " + actual + ", expected " + expected);
    }
  }

  static void nonNegative(String owner, String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(owner + "." + field + " must be >= 0, got " + value);
    }
  }

  static void finite(String owner, String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(owner + "." + field + " is not finite: " + value);
    }
  }

  static void finite(String owner, String field, double[] values, int expectedLength) {
    notNull(owner, field, values);
    length(owner, field, values.length, expectedLength);
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            owner + "." + field + "[" + i + "] is not finite: " + values[i]);
      }
    }
  }

  static void nonNegative(String owner, String field, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException(
            owner + "." + field + "[" + i + "] must be >= 0, got " + values[i]);
      }
    }
  }

  static void countsWithin(
      String owner, String field, long[] counts, int expectedLength, long total) {
    notNull(owner, field, counts);
    length(owner, field, counts.length, expectedLength);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0 || counts[i] > total) {
        throw new IllegalArgumentException(
            owner + "." + field + "[" + i + "] = " + counts[i] + " is outside [0, " + total + "]");
      }
    }
  }

  static IllegalArgumentException notFiniteSample(String owner, int row, int neuron, double value) {
    return new IllegalArgumentException(
        owner + ": sample row " + row + ", neuron " + neuron + " is not finite: " + value);
  }

  static void sameNeurons(String owner, int mine, int theirs) {
    if (mine != theirs) {
      throw new IllegalArgumentException(
          owner + ": cannot merge " + theirs + " neurons into " + mine + " neurons");
    }
  }
}
