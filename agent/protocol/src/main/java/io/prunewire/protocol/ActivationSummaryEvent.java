package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

import io.prunewire.scorers.stats.ActivationSummary;

/**
 * The activation summary (moments of the output and of its magnitude, non-zero or spike counts,
 * histogram, co-activation with anchor neurons) of one layer over a window.
 *
 * @param layer the layer's name as declared in {@link RunStarted}
 * @param window training iterations covered, ending at the header's step (>= 1)
 * @param summary the summary; the event keeps a copy, so the trainer may go on accumulating into
 *     its own. Its accessor returns that copy itself, not a new one: callers must not modify it
 *     (merge it into their state, {@code state.merge(event.summary())})
 */
public record ActivationSummaryEvent(
    Header header, String layer, int window, ActivationSummary summary)
    implements LayerSummaryEvent {
  public ActivationSummaryEvent {
    present("ActivationSummary.header", header);
    identifier("ActivationSummary.layer", layer);
    positive("ActivationSummary.window", window);
    present("ActivationSummary.summary", summary);
    // A summary the decoder built for this event alone is kept; any other is copied.
    summary = HandedOver.take(summary) ? summary : summary.copy();
  }

  @Override
  public EventType type() {
    return EventType.ACTIVATION_SUMMARY;
  }

  @Override
  public int neurons() {
    return summary.neurons();
  }
}
