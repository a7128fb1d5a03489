package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

import io.prunewire.scorers.stats.CurvatureSummary;

/**
 * The Hutchinson curvature samples (per-probe v·Hv per neuron over its incoming weights) of one
 * layer.
 *
 * @param layer the layer's name as declared in {@link RunStarted}
 * @param window training iterations covered, ending at the header's step (>= 1)
 * @param summary the summary; the event keeps a copy, so the trainer may go on accumulating into
 *     its own. Its accessor returns that copy itself, not a new one: callers must not modify it
 *     (merge it into their state, {@code state.merge(event.summary())})
 */
public record CurvatureEvent(Header header, String layer, int window, CurvatureSummary summary)
    implements LayerSummaryEvent {
  public CurvatureEvent {
    present("Curvature.header", header);
    identifier("Curvature.layer", layer);
    positive("Curvature.window", window);
    present("Curvature.summary", summary);
    // A summary the decoder built for this event alone is kept; any other is copied.
    summary = HandedOver.take(summary) ? summary : summary.copy();
  }

  @Override
  public EventType type() {
    return EventType.CURVATURE;
  }

  @Override
  public int neurons() {
    return summary.neurons();
  }
}
