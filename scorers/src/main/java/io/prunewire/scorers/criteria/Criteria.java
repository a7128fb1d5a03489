package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of every criterion, by name, in a fixed order (weight, activation, gradient,
 * cooperative, second order, peers). Immutable; configure the two parameterised criteria with
 * {@link #builder()}.
 */
public final class Criteria {
  private final Map<String, Criterion> byName;

  private Criteria(List<Criterion> criteria) {
    Map<String, Criterion> map = new LinkedHashMap<>();
    for (Criterion c : criteria) {
      map.put(c.name(), c);
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /** Every criterion with default parameters (degree threshold 0.5, random seed 0). */
  public static Criteria defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All criteria, in registry order. */
  public List<Criterion> all() {
    return List.copyOf(byName.values());
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * The criterion called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names if there is none
   */
  public Criterion get(String name) {
    Criterion c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown criterion '" + name + "'; known: " + byName.keySet());
    }
    return c;
  }

  /** The criteria of one family, in registry order. */
  public List<Criterion> family(Family family) {
    List<Criterion> out = new ArrayList<>();
    for (Criterion c : byName.values()) {
      if (c.family() == family) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Raw scores of every criterion {@link Criterion#available available} on {@code evidence}, by
   * name.
   */
  public Map<String, double[]> scoreAvailable(LayerEvidence evidence) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Criterion c : byName.values()) {
      if (c.available(evidence)) {
        out.put(c.name(), c.score(evidence));
      }
    }
    return out;
  }

  /** Parameters of the registry's configurable criteria. */
  public static final class Builder {
    private double degreeThreshold = CooperativeDegree.DEFAULT_THRESHOLD;
    private long randomSeed;

    private Builder() {}

    /** {@code τ} of the {@code cooperative_degree} criterion. */
    public Builder degreeThreshold(double threshold) {
      this.degreeThreshold = threshold;
      return this;
    }

    /** Seed of the {@code random} criterion. */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    public Criteria build() {
      return new Criteria(
          List.of(
              new WeightL2(),
              new WeightL1(),
              new WeightVariance(),
              new WeightNonZeroRatio(),
              new WeightEntropy(),
              new WeightEffectiveRank(),
              new WeightOutgoing(),
              new ActivationFrequency(),
              new ActivationMagnitude(),
              new ActivationVariance(),
              new ActivationEntropy(),
              new ActivationRange(),
              new GradientMagnitude(),
              new GradientStability(),
              new GradientSnr(),
              new GradientSignConsistency(),
              new CooperativeStrength(),
              new CooperativeUniqueness(),
              new CooperativeDegree(degreeThreshold),
              new CooperativeCooperation(),
              new HutchinsonTrace(),
              new Hap(),
              new Obd(),
              new Fisher(),
              new Taylor(),
              new Magnitude(),
              new RandomScore(randomSeed)));
    }
  }
}
