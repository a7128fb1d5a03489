package io.prunewire.evaluation.demo;

/**
 * A Spearman ρ in [-1, 1] over {@code probes} pairs (0: not known), or none with the reason ({@code
 * value} NaN).
 */
record Rho(double value, int probes, String reason) {

  static Rho of(double value, int probes) {
    if (!(value >= -1 - 1e-12 && value <= 1 + 1e-12)) {
      throw new IllegalArgumentException("spearman must be in [-1, 1], got " + value);
    }
    return new Rho(Math.max(-1, Math.min(1, value)), probes, null);
  }

  static Rho missing(String reason) {
    return new Rho(Double.NaN, 0, reason);
  }

  boolean present() {
    return reason == null;
  }

  /** {@code 0.412 (n=18)} or {@code n/a (reason)}. */
  String text() {
    if (!present()) {
      return "n/a (" + reason + ")";
    }
    String rho = String.format(java.util.Locale.ROOT, "%.3f", value);
    return probes > 0 ? rho + " (n=" + probes + ")" : rho;
  }
}
