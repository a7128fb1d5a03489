package io.prunewire.protocol;

/**
 * Telemetry about the neurons of one layer over a window of iterations ending at the header's step.
 * The agent merges these into its per-(run, layer) state; it applies each (trainer, layer, type,
 * step) at most once.
 */
public sealed interface LayerSummaryEvent extends Event
    permits ActivationSummaryEvent, GradientSummaryEvent, CurvatureEvent, WeightStatisticsEvent {

  /** The layer's name as declared in {@link RunStarted}. */
  String layer();

  /** Training iterations the summary covers, ending at the header's step (1 for a snapshot). */
  int window();

  /** Number of neurons the summary describes; must equal the layer's declared neuron count. */
  int neurons();
}
