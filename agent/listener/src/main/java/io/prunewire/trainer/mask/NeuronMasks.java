package io.prunewire.trainer.mask;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.MaskHash;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-layer keep masks: {@code keep(layer)[i]} is {@code false} when neuron {@code i} is pruned.
 * Immutable; layer order is preserved (it is part of the {@link #hash()}).
 */
public final class NeuronMasks {

  private final Map<String, boolean[]> keep;

  private NeuronMasks(Map<String, boolean[]> keep) {
    this.keep = keep;
  }

  /** Masks from layer name to keep bits (copied), in the map's iteration order. */
  public static NeuronMasks of(Map<String, boolean[]> keep) {
    Objects.requireNonNull(keep, "keep");
    Map<String, boolean[]> copy = new LinkedHashMap<>();
    keep.forEach(
        (layer, bits) -> {
          Objects.requireNonNull(layer, "layer name");
          if (bits == null || bits.length == 0) {
            throw new IllegalArgumentException("mask of layer " + layer + " is empty");
          }
          copy.put(layer, bits.clone());
        });
    return new NeuronMasks(copy);
  }

  /** The masks a decision prescribes, in the decision's layer order. */
  public static NeuronMasks of(DecisionEvent decision) {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    decision.layers().forEach(l -> m.put(l.layer(), l.keep()));
    return of(m);
  }

  public Set<String> layers() {
    return Collections.unmodifiableSet(keep.keySet());
  }

  /** A copy of the keep bits of one layer. */
  public boolean[] keep(String layer) {
    boolean[] bits = keep.get(layer);
    if (bits == null) {
      throw new IllegalArgumentException(
          "no mask for layer " + layer + "; masks cover " + keep.keySet());
    }
    return bits.clone();
  }

  /** Number of pruned neurons over all layers. */
  public int pruned() {
    int n = 0;
    for (boolean[] bits : keep.values()) {
      for (boolean b : bits) {
        n += b ? 0 : 1;
      }
    }
    return n;
  }

  /**
   * Masks that keep a neuron only if both keep it: a neuron pruned earlier stays pruned. Layers
   * present in only one side keep that side's bits; shared layers must have equal sizes.
   */
  public NeuronMasks and(NeuronMasks other) {
    Map<String, boolean[]> out = new LinkedHashMap<>();
    keep.forEach((layer, bits) -> out.put(layer, bits.clone()));
    other.keep.forEach(
        (layer, bits) -> {
          boolean[] mine = out.get(layer);
          if (mine == null) {
            out.put(layer, bits.clone());
            return;
          }
          if (mine.length != bits.length) {
            throw new IllegalArgumentException(
                "layer "
                    + layer
                    + ": masks of "
                    + mine.length
                    + " and "
                    + bits.length
                    + " neurons");
          }
          for (int i = 0; i < mine.length; i++) {
            mine[i] &= bits[i];
          }
        });
    return new NeuronMasks(out);
  }

  /** {@link MaskHash} of these masks, as a {@code DecisionAck} carries it. */
  public long hash() {
    return MaskHash.of(keep);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NeuronMasks other) || !keep.keySet().equals(other.keep.keySet())) {
      return false;
    }
    return keep.entrySet().stream()
        .allMatch(e -> Arrays.equals(e.getValue(), other.keep.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash());
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("NeuronMasks[");
    keep.forEach(
        (layer, bits) -> {
          int kept = 0;
          for (boolean b : bits) {
            kept += b ? 1 : 0;
          }
          s.append(layer).append('=').append(kept).append('/').append(bits.length).append(' ');
        });
    return s.toString().trim() + "]";
  }
}
