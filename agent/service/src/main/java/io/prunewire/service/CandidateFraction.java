package io.prunewire.service;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How much of each unprotected layer an outcome round's removal candidates remove ({@code
 * outcome.fraction}): a fixed share {@code f} of its live neurons, or ({@code planned}) the share
 * the checkpoint itself is about to remove, {@code max(FLOOR, (s·eligible − pruned) / live)} for
 * the checkpoint's target sparsity {@code s}, so that the criteria are compared on the cut they
 * will make (during training the later checkpoints remove far less than half of what is left).
 *
 * @param fixed the fixed share, in (0, 1); empty for {@code planned}
 */
public record CandidateFraction(OptionalDouble fixed) {

  /**
   * The least share a {@code planned} candidate removes: a checkpoint that removes a few neurons
   * would otherwise measure differences lost in the probe batches' noise.
   */
  public static final double FLOOR = 0.05;

  /** The setting's text for the checkpoint's planned share. */
  public static final String PLANNED = "planned";

  public CandidateFraction {
    if (fixed.isPresent() && !(fixed.getAsDouble() > 0 && fixed.getAsDouble() < 1)) {
      throw new IllegalArgumentException(
          "outcome.fraction must be in (0, 1) or '" + PLANNED + "', got " + fixed.getAsDouble());
    }
  }

  /** A fixed share of the live neurons. */
  public static CandidateFraction of(double fraction) {
    return new CandidateFraction(OptionalDouble.of(fraction));
  }

  /** The checkpoint's own planned share, at least {@link #FLOOR}. */
  public static CandidateFraction planned() {
    return new CandidateFraction(OptionalDouble.empty());
  }

  /**
   * From the setting's text: a number in (0, 1) or {@code planned}.
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static CandidateFraction parse(String text) {
    if (PLANNED.equals(text.trim().toLowerCase(Locale.ROOT))) {
      return planned();
    }
    try {
      return of(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "outcome.fraction must be a number in (0, 1) or '" + PLANNED + "', got '" + text + "'",
          e);
    }
  }

  /**
   * The share of live neurons to remove at a checkpoint whose own removals are {@code plannedShare}
   * of the live neurons.
   */
  public double at(double plannedShare) {
    return fixed.isPresent() ? fixed.getAsDouble() : Math.max(FLOOR, Math.min(1.0, plannedShare));
  }

  @Override
  public String toString() {
    return fixed.isPresent() ? Double.toString(fixed.getAsDouble()) : PLANNED;
  }
}
