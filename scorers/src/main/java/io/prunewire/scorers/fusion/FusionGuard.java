package io.prunewire.scorers.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes sure a layer's decision never rests on the neuron index: fused scores that carry no ranking
 * are replaced, and ties are broken by a documented rule.
 *
 * <p><b>Fallback.</b> When every weight is 0 ({@code zero_weights}) or the fused scores of the live
 * neurons are all equal ({@code constant_scores}), the layer is ranked by the first criterion of
 * {@code evidence} (best measured evidence first) whose scores over the live neurons are not
 * constant.
 *
 * <p><b>Ties.</b> Neurons whose ranking scores are equal are ordered by the first non-constant
 * evidence criterion other than the ranking one, then by a hash of (layer, neuron) — SplitMix64 of
 * the layer name's hash XOR the index — never by the index alone. The returned scores are {@code
 * score + δ·r}: r ∈ [0, 1) the neuron's place in that order within its tie group, δ half the
 * smallest gap between distinct scores, so the ranking between distinct scores is unchanged.
 */
public final class FusionGuard {

  private FusionGuard() {}

  /** Why a layer fell back. */
  public enum Fallback {
    ZERO_WEIGHTS,
    CONSTANT_SCORES;

    /** The metric label: {@code zero_weights}, {@code constant_scores}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A criterion and why it ranks where it does in the evidence order (e.g. {@code "outcome regret
   * -0.012 over 3 rounds"}).
   */
  public record Ranked(String criterion, String why) {
    public Ranked {
      Objects.requireNonNull(criterion, "criterion");
      Objects.requireNonNull(why, "why");
    }
  }

  /**
   * The scores that decide, and what was done to get them.
   *
   * @param scores one per neuron, higher = keep
   * @param fallback why the fused scores were replaced, if they were
   * @param criterion the criterion that replaced them (present with {@code fallback} unless every
   *     criterion is constant)
   * @param tieBreaker the criterion that orders tied neurons before the hash, if any is usable
   * @param tied live neurons that shared their ranking score with another live neuron
   */
  public record Guarded(
      double[] scores,
      Optional<Fallback> fallback,
      Optional<Ranked> criterion,
      Optional<String> tieBreaker,
      int tied) {
    public Guarded {
      scores = scores.clone();
    }

    @Override
    public double[] scores() {
      return scores.clone();
    }

    /** One clause for a decision's reason, empty when nothing was changed. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      fallback.ifPresent(
          f ->
              b.append("fallback (")
                  .append(f.code())
                  .append(") to criterion ")
                  .append(
                      criterion
                          .map(c -> c.criterion() + ", " + c.why())
                          .orElse("none: every criterion is constant")));
      if (tied > 0) {
        b.append(b.length() > 0 ? ", " : "")
            .append(tied)
            .append(" tied neurons ordered by ")
            .append(tieBreaker.map(c -> "criterion " + c + ", then ").orElse(""))
            .append("hash(layer, neuron)");
      }
      return b.toString();
    }
  }

  /**
   * @param fused the fusion's scores of the layer
   * @param criteria the layer's normalised criteria
   * @param alive which neurons are still live (only they are ranked)
   * @param evidence criteria by measured evidence, best first (see the class comment)
   */
  public static Guarded guard(
      FusedScores fused, CriterionScores criteria, boolean[] alive, List<Ranked> evidence) {
    int n = fused.neurons();
    if (alive.length != n || criteria.neurons() != n) {
      throw new IllegalArgumentException(
          "fusion guard: layer "
              + fused.layer()
              + " has "
              + n
              + " fused scores, "
              + criteria.neurons()
              + " criterion scores and "
              + alive.length
              + " alive flags");
    }
    List<Ranked> usable = new ArrayList<>();
    for (Ranked r : evidence) {
      if (criteria.has(r.criterion()) && !constant(criteria.view(r.criterion()), alive)) {
        usable.add(r);
      }
    }
    Optional<Fallback> fallback = Optional.empty();
    if (fused.weights().values().stream().allMatch(w -> w == 0)) {
      fallback = Optional.of(Fallback.ZERO_WEIGHTS);
    } else if (constant(fused.scores(), alive)) {
      fallback = Optional.of(Fallback.CONSTANT_SCORES);
    }
    double[] primary = fused.scores();
    Optional<Ranked> replacement = Optional.empty();
    if (fallback.isPresent()) {
      replacement = usable.isEmpty() ? Optional.empty() : Optional.of(usable.get(0));
      primary = replacement.map(r -> criteria.scores(r.criterion())).orElseGet(() -> new double[n]);
    }
    Optional<String> tieBreaker = Optional.empty();
    if (fallback.isPresent() && usable.size() > 1) {
      tieBreaker = Optional.of(usable.get(1).criterion());
    } else if (fallback.isEmpty() && !usable.isEmpty()) {
      tieBreaker = Optional.of(usable.get(0).criterion());
    }
    double[] secondary = tieBreaker.map(criteria::view).orElse(null);
    return breakTies(fused.layer(), primary, secondary, alive, fallback, replacement, tieBreaker);
  }

  private static Guarded breakTies(
      String layer,
      double[] primary,
      double[] secondary,
      boolean[] alive,
      Optional<Fallback> fallback,
      Optional<Ranked> replacement,
      Optional<String> tieBreaker) {
    int n = primary.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long salt = layer.hashCode();
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(primary[a], primary[b]);
          if (c == 0 && secondary != null) {
            c = Double.compare(secondary[a], secondary[b]);
          }
          return c != 0 ? c : Long.compareUnsigned(mix(salt ^ a), mix(salt ^ b));
        });
    double gap = Double.POSITIVE_INFINITY;
    for (int k = 1; k < n; k++) {
      double d = primary[order[k]] - primary[order[k - 1]];
      if (d > 0) {
        gap = Math.min(gap, d);
      }
    }
    double delta = Double.isInfinite(gap) ? 1 : gap / 2;
    double[] out = primary.clone();
    int tied = 0;
    for (int start = 0; start < n; ) {
      int end = start;
      while (end + 1 < n && primary[order[end + 1]] == primary[order[start]]) {
        end++;
      }
      int size = end - start + 1;
      int liveInGroup = 0;
      for (int k = start; k <= end; k++) {
        liveInGroup += alive[order[k]] ? 1 : 0;
      }
      if (liveInGroup > 1) {
        tied += liveInGroup;
      }
      for (int k = start; size > 1 && k <= end; k++) {
        out[order[k]] = primary[order[k]] + delta * (k - start) / size;
      }
      start = end + 1;
    }
    return new Guarded(out, fallback, replacement, tieBreaker, tied);
  }

  private static boolean constant(double[] scores, boolean[] alive) {
    double first = Double.NaN;
    for (int i = 0; i < scores.length; i++) {
      if (alive[i]) {
        if (Double.isNaN(first)) {
          first = scores[i];
        } else if (scores[i] != first) {
          return false;
        }
      }
    }
    return true;
  }

  /** SplitMix64's finaliser (Steele, Lea &amp; Flood, OOPSLA 2014): a fixed, well-mixed order. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
