package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.float32;
import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.noNulls;
import static io.prunewire.protocol.EventChecks.present;

import java.util.Arrays;
import java.util.List;

/**
 * Measured loss changes of removing neurons, taken by a trainer's ablation probe at a checkpoint.
 * The agent fits its learned fusion to them (single neurons and random groups, see docs/DESIGN.md).
 *
 * @param checkpointId the checkpoint at which the probe ran
 * @param measurements at least one measurement
 */
public record AblationEvent(Header header, String checkpointId, List<Measurement> measurements)
    implements Event {
  public AblationEvent {
    present("Ablation.header", header);
    identifier("Ablation.checkpointId", checkpointId);
    measurements = List.copyOf(noNulls("Ablation.measurements", measurements));
    if (measurements.isEmpty()) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH, "Ablation.measurements: must hold at least one measurement");
    }
  }

  @Override
  public EventType type() {
    return EventType.ABLATION;
  }

  /**
   * One probe: the neurons removed together and the loss change it caused.
   *
   * @param removed the removed neurons, per layer (a group may span layers), non-empty
   * @param deltaLoss {@code loss(without the neurons) − loss(intact)} on the probe batch, in nats
   *     per token; held at float32 precision, as on the wire
   */
  public record Measurement(List<Removal> removed, double deltaLoss) {
    public Measurement {
      removed = List.copyOf(noNulls("Ablation.measurement.removed", removed));
      if (removed.isEmpty()) {
        throw new InvalidEventException(
            RejectReason.ARRAY_LENGTH,
            "Ablation.measurement.removed: must name at least one layer");
      }
      deltaLoss = float32("Ablation.measurement.deltaLoss", deltaLoss);
    }

    /** Total number of neurons removed by this probe. */
    public int size() {
      return removed.stream().mapToInt(r -> r.neurons().length).sum();
    }

    /** Whether the probe removed exactly one neuron (a single ablation rather than a group). */
    public boolean isSingle() {
      return size() == 1;
    }
  }

  /**
   * Neurons of one layer removed by a probe.
   *
   * @param layer the layer's name
   * @param neurons distinct neuron indices, each in {@code [0, neurons of the layer)}, non-empty
   */
  public record Removal(String layer, int[] neurons) {
    public Removal {
      identifier("Ablation.removal.layer", layer);
      present("Ablation.removal[" + layer + "].neurons", neurons);
      if (neurons.length == 0) {
        throw new InvalidEventException(
            RejectReason.ARRAY_LENGTH,
            "Ablation.removal[" + layer + "].neurons: must name at least one neuron");
      }
      neurons = neurons.clone();
      for (int n : neurons) {
        if (n < 0) {
          throw new InvalidEventException(
              RejectReason.NEGATIVE_COUNT,
              "Ablation.removal[" + layer + "].neurons: index " + n + " is negative");
        }
      }
      if (Arrays.stream(neurons).distinct().count() != neurons.length) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "Ablation.removal[" + layer + "].neurons: indices must be distinct");
      }
    }

    @Override
    public int[] neurons() {
      return neurons.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Removal r && layer.equals(r.layer) && Arrays.equals(neurons, r.neurons);
    }

    @Override
    public int hashCode() {
      return 31 * layer.hashCode() + Arrays.hashCode(neurons);
    }

    @Override
    public String toString() {
      return "Removal[layer=" + layer + ", neurons=" + Arrays.toString(neurons) + "]";
    }
  }
}
