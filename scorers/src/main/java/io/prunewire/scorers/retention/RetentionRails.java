package io.prunewire.scorers.retention;

import java.util.Set;

/**
 * Safety rails every policy obeys: protected layers are never pruned; each layer keeps at least
 * {@code max(minKeptPerLayer, ⌈minKeptFraction·n⌉)} neurons; at most {@code
 * ⌊maxRemovedFractionPerCheckpoint·n⌋} neurons of a layer (n = the layer's full size) and at most
 * {@code maxRemovedPerCheckpoint} neurons in all are removed at one checkpoint — the total is spent
 * in the policy's pool order (for per-layer policies, earlier layers first). Immutable; defaults:
 * floor 1 neuron, no fraction floor, no limits, nothing protected.
 */
public record RetentionRails(
    int minKeptPerLayer,
    double minKeptFraction,
    double maxRemovedFractionPerCheckpoint,
    int maxRemovedPerCheckpoint,
    Set<String> protectedLayers) {

  public static final RetentionRails DEFAULT = builder().build();

  public RetentionRails {
    if (minKeptPerLayer < 1) {
      throw new IllegalArgumentException(
          "retention rails: minKeptPerLayer must be ≥ 1, got " + minKeptPerLayer);
    }
    if (!(minKeptFraction >= 0 && minKeptFraction <= 1)) {
      throw new IllegalArgumentException(
          "retention rails: minKeptFraction must be in [0, 1], got " + minKeptFraction);
    }
    if (!(maxRemovedFractionPerCheckpoint >= 0 && maxRemovedFractionPerCheckpoint <= 1)) {
      throw new IllegalArgumentException(
          "retention rails: maxRemovedFractionPerCheckpoint must be in [0, 1], got "
              + maxRemovedFractionPerCheckpoint);
    }
    if (maxRemovedPerCheckpoint < 0) {
      throw new IllegalArgumentException(
          "retention rails: maxRemovedPerCheckpoint must be ≥ 0, got " + maxRemovedPerCheckpoint);
    }
    protectedLayers = Set.copyOf(protectedLayers);
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isProtected(String layer) {
    return protectedLayers.contains(layer);
  }

  // The 1e-9 slack keeps products like 0.7 * 10 = 7.000000000000001 from rounding a whole neuron.
  int floor(int size) {
    return Math.min(
        size, Math.max(minKeptPerLayer, (int) Math.ceil(minKeptFraction * size - 1e-9)));
  }

  int maxRemovedPerCheckpoint(int size) {
    return (int) Math.floor(maxRemovedFractionPerCheckpoint * size + 1e-9);
  }

  /** Builder with the defaults above. */
  public static final class Builder {
    private int minKeptPerLayer = 1;
    private double minKeptFraction = 0;
    private double maxRemovedFractionPerCheckpoint = 1;
    private int maxRemovedPerCheckpoint = Integer.MAX_VALUE;
    private Set<String> protectedLayers = Set.of();

    private Builder() {}

    public Builder minKeptPerLayer(int n) {
      this.minKeptPerLayer = n;
      return this;
    }

    public Builder minKeptFraction(double fraction) {
      this.minKeptFraction = fraction;
      return this;
    }

    public Builder maxRemovedFractionPerCheckpoint(double fraction) {
      this.maxRemovedFractionPerCheckpoint = fraction;
      return this;
    }

    /** Maximum number of neurons removed at one checkpoint over all layers. */
    public Builder maxRemovedPerCheckpoint(int neurons) {
      this.maxRemovedPerCheckpoint = neurons;
      return this;
    }

    public Builder protectedLayers(Set<String> layers) {
      this.protectedLayers = layers;
      return this;
    }

    public RetentionRails build() {
      return new RetentionRails(
          minKeptPerLayer,
          minKeptFraction,
          maxRemovedFractionPerCheckpoint,
          maxRemovedPerCheckpoint,
          protectedLayers);
    }
  }
}
