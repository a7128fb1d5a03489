package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.noNulls;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A trainer joined a run. Every trainer of the run sends one before any telemetry; the agent
 * rejects telemetry of a run (or a layer) it has no {@code RunStarted} for.
 *
 * @param fleetSize how many trainers take part in the run (data-parallel replicas), at least 1
 * @param layers the prunable layers, non-empty, unique names, in model order
 * @param version the record's version byte: {@link Event#VERSION_2} from a trainer that understands
 *     protocol v2 (it measures {@link RemovalCandidates}), {@link Event#VERSION_1} otherwise
 */
public record RunStarted(Header header, int fleetSize, List<LayerSpec> layers, int version)
    implements Event {
  public RunStarted {
    if (version != VERSION_1 && version != VERSION_2) {
      throw new InvalidEventException(
          RejectReason.UNKNOWN_VERSION, "RunStarted.version: must be 1 or 2, was " + version);
    }
    present("RunStarted.header", header);
    positive("RunStarted.fleetSize", fleetSize);
    layers = List.copyOf(noNulls("RunStarted.layers", layers));
    if (layers.isEmpty()) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH, "RunStarted.layers: must declare at least one layer");
    }
    Set<String> names = new HashSet<>();
    for (LayerSpec l : layers) {
      if (!names.add(l.name())) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "RunStarted.layers: layer name '" + l.name() + "' appears twice");
      }
    }
  }

  /** A version-1 {@code RunStarted}: the trainer does not measure removal candidates. */
  public RunStarted(Header header, int fleetSize, List<LayerSpec> layers) {
    this(header, fleetSize, layers, VERSION_1);
  }

  @Override
  public EventType type() {
    return EventType.RUN_STARTED;
  }

  @Override
  public int schemaVersion() {
    return version;
  }

  /** Whether the trainer measures {@link RemovalCandidates} (it sent this with version byte 2). */
  public boolean measuresCandidates() {
    return version >= VERSION_2;
  }

  /** The declared layer with this name, if any. */
  public Optional<LayerSpec> layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
