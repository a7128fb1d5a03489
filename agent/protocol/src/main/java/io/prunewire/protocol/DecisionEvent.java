package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.finite;
import static io.prunewire.protocol.EventChecks.float32;
import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.noNullEntries;
import static io.prunewire.protocol.EventChecks.noNulls;
import static io.prunewire.protocol.EventChecks.notNull;
import static io.prunewire.protocol.EventChecks.present;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's pruning decision for one run at one checkpoint: exactly one per (run, checkpoint),
 * published to {@code prunewire.decisions} and republished unchanged if asked again. The header's
 * trainer id is the agent's id; its step is the checkpoint's step.
 *
 * @param checkpointId the checkpoint this decision answers
 * @param layers one entry per pruned layer, unique names
 * @param fusionWeights weight of each criterion in the fused score at decision time (criterion name
 *     → weight, finite, held at float32 precision, iteration order preserved)
 * @param reason human-readable account of the retention rule and safety rails that applied
 * @param missingTrainers trainers of the run that had not reported the checkpoint when the barrier
 *     timed out (empty when all reported)
 */
public record DecisionEvent(
    Header header,
    String checkpointId,
    List<LayerDecision> layers,
    Map<String, Double> fusionWeights,
    String reason,
    List<String> missingTrainers)
    implements Event {

  public DecisionEvent {
    present("Decision.header", header);
    identifier("Decision.checkpointId", checkpointId);
    layers = List.copyOf(noNulls("Decision.layers", layers));
    Set<String> names = new HashSet<>();
    for (LayerDecision l : layers) {
      if (!names.add(l.layer())) {
        throw new InvalidEventException(
            RejectReason.MALFORMED, "Decision.layers: layer '" + l.layer() + "' appears twice");
      }
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    noNullEntries("Decision.fusionWeights", fusionWeights)
        .forEach((k, v) -> weights.put(k, float32("Decision.fusionWeights[" + k + "]", v)));
    fusionWeights = Collections.unmodifiableMap(weights);
    notNull("Decision.reason", reason);
    missingTrainers = List.copyOf(noNulls("Decision.missingTrainers", missingTrainers));
  }

  @Override
  public EventType type() {
    return EventType.DECISION;
  }

  /** The hash a trainer that applies exactly these masks sends back in its {@link DecisionAck}. */
  public long maskHash() {
    Map<String, boolean[]> masks = new LinkedHashMap<>();
    layers.forEach(l -> masks.put(l.layer(), l.keep()));
    return MaskHash.of(masks);
  }

  /**
   * The decision for one layer.
   *
   * @param layer the layer's name
   * @param keep the keep mask, one entry per neuron: {@code true} keeps the neuron, {@code false}
   *     prunes it (monotone: a neuron pruned earlier stays pruned)
   * @param scores the fused importance per neuron that produced the mask, finite, same length as
   *     {@code keep} (dimensionless: the fusion of per-layer normalised criteria)
   */
  public record LayerDecision(String layer, boolean[] keep, float[] scores) {
    public LayerDecision {
      identifier("Decision.layer", layer);
      keep = present("Decision.layer[" + layer + "].keep", keep).clone();
      scores = finite("Decision.layer[" + layer + "].scores", scores).clone();
      if (keep.length == 0) {
        throw new InvalidEventException(
            RejectReason.ARRAY_LENGTH,
            "Decision.layer[" + layer + "].keep: must hold at least one neuron");
      }
      if (keep.length != scores.length) {
        throw new InvalidEventException(
            RejectReason.ARRAY_LENGTH,
            "Decision.layer["
                + layer
                + "]: keep has "
                + keep.length
                + " entries but scores has "
                + scores.length);
      }
    }

    /** Number of neurons of the layer. */
    public int neurons() {
      return keep.length;
    }

    /** Number of neurons the mask keeps. */
    public int kept() {
      int n = 0;
      for (boolean k : keep) {
        n += k ? 1 : 0;
      }
      return n;
    }

    @Override
    public boolean[] keep() {
      return keep.clone();
    }

    @Override
    public float[] scores() {
      return scores.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LayerDecision d
          && layer.equals(d.layer)
          && Arrays.equals(keep, d.keep)
          && Arrays.equals(scores, d.scores);
    }

    @Override
    public int hashCode() {
      return (31 * layer.hashCode() + Arrays.hashCode(keep)) * 31 + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
      return "LayerDecision[layer=" + layer + ", neurons=" + keep.length + ", kept=" + kept() + "]";
    }
  }
}
