package io.prunewire.protocol;

/**
 * A summary the decoder built for one event alone, handed to that event's constructor so that it
 * keeps the instance instead of the defensive copy it makes of a caller's summary (a 1,300-neuron
 * activation summary is about 1 MB of arrays). Per thread, at most one at a time: the decoder hands
 * the summary over as the constructor's last argument and clears it once the constructor returned
 * or threw.
 */
final class HandedOver {
  private static final ThreadLocal<Object> SUMMARY = new ThreadLocal<>();

  private HandedOver() {}

  /** Marks {@code summary} as the decoder's own, for the next event constructed on this thread. */
  static <T> T summary(T summary) {
    SUMMARY.set(summary);
    return summary;
  }

  /** Whether {@code summary} is the one handed over (and then forgets it). */
  static boolean take(Object summary) {
    if (summary != null && SUMMARY.get() == summary) {
      SUMMARY.remove();
      return true;
    }
    return false;
  }

  static void clear() {
    SUMMARY.remove();
  }
}
