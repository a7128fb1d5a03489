package io.prunewire.protocol;

/**
 * Event types and their wire codes (byte 3 of every record): codes 1–9 are protocol v1, read under
 * version byte 1 or 2; the later codes exist from version 2 on and only under version byte 2.
 */
public enum EventType {
  RUN_STARTED(1),
  ACTIVATION_SUMMARY(2),
  GRADIENT_SUMMARY(3),
  CURVATURE(4),
  WEIGHT_STATISTICS(5),
  ABLATION(6),
  CHECKPOINT(7),
  DECISION(8),
  DECISION_ACK(9),
  DECISION_REFUSAL(10),
  REMOVAL_CANDIDATES(11),
  REMOVAL_OUTCOME(12);

  private static final EventType[] BY_CODE = new EventType[16];

  static {
    for (EventType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  EventType(int code) {
    this.code = code;
  }

  /** The unsigned byte that identifies this type on the wire. */
  public int code() {
    return code;
  }

  /** The first protocol version whose records may carry this type. */
  public int sinceVersion() {
    return code <= DECISION_ACK.code ? Event.VERSION_1 : Event.VERSION_2;
  }

  /** The type with this wire code. */
  public static EventType ofCode(int code) {
    EventType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (t == null) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_TYPE,
          "event type code " + code + " is not defined in schema v" + Event.VERSION_2);
    }
    return t;
  }
}
