package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.notNull;
import static io.prunewire.protocol.EventChecks.present;

/**
 * What the agent remembers to apply every event at most once: per (trainer, layer, type) the last
 * applied step. Events without a layer use the empty string.
 */
public record ApplyKey(String trainerId, String layer, EventType type) {
  public ApplyKey {
    notNull("ApplyKey.trainerId", trainerId);
    notNull("ApplyKey.layer", layer);
    present("ApplyKey.type", type);
  }

  /** The key of an event. */
  public static ApplyKey of(Event event) {
    return new ApplyKey(event.trainerId(), EventValidator.layerOf(event), event.type());
  }
}
