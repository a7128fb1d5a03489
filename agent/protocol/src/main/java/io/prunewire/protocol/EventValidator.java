package io.prunewire.protocol;

import java.util.List;
import java.util.OptionalLong;

/**
 * The checks a receiver makes after {@link EventCodec#decode}, which already guarantees a
 * well-formed event (no NaN/Inf, no negative counts, self-consistent summaries). Each failure is an
 * {@link InvalidEventException} with a precise {@link RejectReason}.
 */
public final class EventValidator {
  private EventValidator() {}

  /**
   * Checks an event against its run's first {@link RunStarted}.
   *
   * @param run the run's {@code RunStarted}, or {@code null} if the receiver has seen none
   * @throws InvalidEventException UNKNOWN_RUN when there is no {@code RunStarted} for a non-{@code
   *     RunStarted} event or it belongs to another run; CONFLICTING_RUN when a second {@code
   *     RunStarted} declares other layers or fleet size; UNKNOWN_LAYER for a layer the run did not
   *     declare; ARRAY_LENGTH when a per-neuron array's length differs from the layer's neuron
   *     count; INCONSISTENT when weight statistics have another fan-in than declared;
   *     INDEX_OUT_OF_RANGE for an ablated neuron index beyond the layer
   */
  public static void validate(Event event, RunStarted run) {
    if (run == null) {
      if (event instanceof RunStarted) {
        return;
      }
      throw new InvalidEventException(
          RejectReason.UNKNOWN_RUN,
          event.type() + " of run '" + event.runId() + "': no RunStarted seen for this run");
    }
    if (!run.runId().equals(event.runId())) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_RUN,
          event.type()
              + " of run '"
              + event.runId()
              + "' checked against RunStarted of run '"
              + run.runId()
              + "'");
    }
    if (event instanceof RunStarted other) {
      if (other.fleetSize() != run.fleetSize() || !other.layers().equals(run.layers())) {
        throw new InvalidEventException(
            RejectReason.CONFLICTING_RUN,
            "RunStarted of trainer '"
                + other.trainerId()
                + "' declares fleet size "
                + other.fleetSize()
                + " and layers "
                + other.layers()
                + ", but the run was started with fleet size "
                + run.fleetSize()
                + " and layers "
                + run.layers());
      }
    } else if (event instanceof LayerSummaryEvent l) {
      LayerSpec spec = layer(run, event, l.layer());
      lengths(event, spec, "summary", l.neurons());
      if (event instanceof WeightStatisticsEvent w && w.statistics().fanIn() != spec.fanIn()) {
        throw new InvalidEventException(
            RejectReason.INCONSISTENT,
            "WeightStatistics of layer '"
                + spec.name()
                + "': fanIn "
                + w.statistics().fanIn()
                + ", but the run declared fanIn "
                + spec.fanIn()
                + " (incoming weights per neuron)");
      }
    } else if (event instanceof AblationEvent a) {
      for (AblationEvent.Measurement m : a.measurements()) {
        indices(run, event, m.removed());
      }
    } else if (event instanceof RemovalCandidates c) {
      for (RemovalCandidates.Candidate candidate : c.candidates()) {
        indices(run, event, candidate.removed());
      }
    } else if (event instanceof DecisionEvent d) {
      for (DecisionEvent.LayerDecision l : d.layers()) {
        lengths(event, layer(run, event, l.layer()), "keep/scores", l.neurons());
      }
    }
  }

  /**
   * Checks an event's step against the last step applied for its {@link ApplyKey}.
   *
   * @param lastApplied the last applied step of {@code ApplyKey.of(event)}, empty if none
   * @throws InvalidEventException DUPLICATE if the step equals it, OUT_OF_ORDER if it is older
   */
  public static void checkOrder(Event event, OptionalLong lastApplied) {
    if (lastApplied.isEmpty()) {
      return;
    }
    long last = lastApplied.getAsLong();
    if (event.step() == last) {
      throw new InvalidEventException(
          RejectReason.DUPLICATE,
          event.type()
              + " of trainer '"
              + event.trainerId()
              + "'"
              + describeLayer(event)
              + " at step "
              + event.step()
              + " was already applied");
    }
    if (event.step() < last) {
      throw new InvalidEventException(
          RejectReason.OUT_OF_ORDER,
          event.type()
              + " of trainer '"
              + event.trainerId()
              + "'"
              + describeLayer(event)
              + " at step "
              + event.step()
              + " is older than the last applied step "
              + last);
    }
  }

  /** The layer an event is about, or the empty string for run-wide events. */
  static String layerOf(Event event) {
    return event instanceof LayerSummaryEvent l ? l.layer() : "";
  }

  private static String describeLayer(Event event) {
    String layer = layerOf(event);
    return layer.isEmpty() ? "" : ", layer '" + layer + "',";
  }

  private static LayerSpec layer(RunStarted run, Event event, String name) {
    return run.layer(name)
        .orElseThrow(
            () ->
                new InvalidEventException(
                    RejectReason.UNKNOWN_LAYER,
                    event.type()
                        + " names layer '"
                        + name
                        + "', which run '"
                        + run.runId()
                        + "' did not declare (layers: "
                        + run.layers().stream().map(LayerSpec::name).toList()
                        + ")"));
  }

  private static void indices(RunStarted run, Event event, List<AblationEvent.Removal> removed) {
    for (AblationEvent.Removal r : removed) {
      LayerSpec spec = layer(run, event, r.layer());
      for (int n : r.neurons()) {
        if (n >= spec.neurons()) {
          throw new InvalidEventException(
              RejectReason.INDEX_OUT_OF_RANGE,
              event.type()
                  + " of layer '"
                  + r.layer()
                  + "': neuron index "
                  + n
                  + " is beyond the layer's "
                  + spec.neurons()
                  + " neurons");
        }
      }
    }
  }

  private static void lengths(Event event, LayerSpec spec, String field, int length) {
    if (length != spec.neurons()) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH,
          event.type()
              + " of layer '"
              + spec.name()
              + "': "
              + field
              + " has "
              + length
              + " entries, but the layer has "
              + spec.neurons()
              + " neurons");
    }
  }
}
