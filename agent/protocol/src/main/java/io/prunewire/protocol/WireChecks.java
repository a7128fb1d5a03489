package io.prunewire.protocol;

import java.util.function.Supplier;

/**
 * Rejections every decoder of the wire shares, so the hand-written reader and the protobuf one the
 * protocol benchmark compares it with refuse the same input with the same reason and message.
 * Internal: public only because the protobuf decoder lives in another module.
 */
public final class WireChecks {
  private WireChecks() {}

  /**
   * Builds a summary from values that each passed the wire checks (finite, non-negative); what the
   * summary's own constructor still rejects contradicts itself, e.g. {@code min > max} or a count
   * above its total, and is {@link RejectReason#INCONSISTENT}.
   */
  public static <T> T consistent(String field, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidEventException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(RejectReason.INCONSISTENT, field + ": " + e.getMessage());
    }
  }

  /**
   * The rejection of a NaN or infinite value; callers test finiteness themselves so that a field
   * name with an index is built only when the value is bad.
   */
  public static InvalidEventException nonFinite(String field, double value) {
    return new InvalidEventException(
        RejectReason.NON_FINITE, field + ": must be finite, was " + value);
  }
}
