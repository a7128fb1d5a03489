package io.prunewire.scorers.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code probed}: the equal-weight mean of a subset S of the criteria, {@code fused = (1/|S|)
 * Σ_{c∈S} x_c}, where S is chosen by measuring whole removals rather than by fitting single
 * ablations.
 *
 * <p>{@link #search} runs sequential forward selection (Whitney, "A direct method of nonparametric
 * measurement selection", IEEE Trans. Computers C-20(9), 1971) with a measured objective: a
 * candidate subset is judged by the loss change of removing, on held-out data, the neurons its
 * fused score would prune at the target fraction (a {@link RemovalProbe} supplied by the caller).
 * Every criterion is first probed alone; the {@code shortlist} best of them are candidates;
 * starting from the best one, the candidate whose addition lowers the measured Δloss most is added,
 * until no addition lowers it or S has {@code maxCriteria} members. That costs at most {@code m +
 * (maxCriteria − 1)(shortlist − 1)} probes for m criteria.
 *
 * <p>Why: single-neuron ablations are a poor guide where effects do not add up (docs/DESIGN.md,
 * "What single-neuron ablations can and cannot teach"), while the damage of the removal actually
 * proposed is what pruning pays. The probe data must be disjoint from the data the result is judged
 * on, or the choice is fitted to it.
 */
public final class ProbedFusion implements Fusion {

  private final List<String> chosen;

  /** The equal-weight mean of {@code chosen}, e.g. the result of an earlier {@link #search}. */
  public ProbedFusion(List<String> chosen) {
    this.chosen = List.copyOf(chosen);
    if (this.chosen.isEmpty()) {
      throw new IllegalArgumentException("probed fusion: no criteria chosen");
    }
    if (this.chosen.stream().distinct().count() != this.chosen.size()) {
      throw new IllegalArgumentException("probed fusion: duplicate criteria " + this.chosen);
    }
  }

  /** The criteria averaged, in the order the search added them. */
  public List<String> chosen() {
    return chosen;
  }

  @Override
  public String name() {
    return "probed";
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String c : chosen) {
      if (!criteria.has(c)) {
        throw new IllegalArgumentException(
            "probed fusion: layer "
                + criteria.layer()
                + " has no criterion '"
                + c
                + "', only "
                + criteria.names());
      }
      weights.put(c, 1.0 / chosen.size());
    }
    return WeightedSum.of(name(), criteria, weights);
  }

  /**
   * Chooses S among {@code criteria} by forward selection against {@code probe}.
   *
   * @param criteria candidate criterion names (each must exist in every layer the probe fuses)
   * @param probe measures the removal a candidate fusion selects; lower is better
   */
  public static Search search(List<String> criteria, RemovalProbe probe, Config config) {
    Objects.requireNonNull(probe, "probe");
    if (criteria.isEmpty()) {
      throw new IllegalArgumentException("probed fusion: no candidate criteria");
    }
    List<Trial> trials = new ArrayList<>();
    List<Trial> singles = new ArrayList<>();
    for (String c : criteria) {
      Trial t = measure(List.of(c), probe);
      trials.add(t);
      singles.add(t);
    }
    // A stable sort keeps the callers' order among equal measurements, so the search is
    // deterministic.
    singles.sort(Comparator.comparingDouble(Trial::deltaLoss));
    List<String> shortlist =
        singles.stream().limit(config.shortlist()).map(t -> t.criteria().get(0)).toList();
    List<String> chosen = new ArrayList<>(List.of(shortlist.get(0)));
    double best = singles.get(0).deltaLoss();
    while (chosen.size() < config.maxCriteria()) {
      Trial bestAddition = null;
      for (String c : shortlist) {
        if (chosen.contains(c)) {
          continue;
        }
        List<String> candidate = new ArrayList<>(chosen);
        candidate.add(c);
        Trial t = measure(candidate, probe);
        trials.add(t);
        if (bestAddition == null || t.deltaLoss() < bestAddition.deltaLoss()) {
          bestAddition = t;
        }
      }
      if (bestAddition == null || !(bestAddition.deltaLoss() < best)) {
        break;
      }
      chosen = new ArrayList<>(bestAddition.criteria());
      best = bestAddition.deltaLoss();
    }
    return new Search(new ProbedFusion(chosen), best, trials);
  }

  private static Trial measure(List<String> subset, RemovalProbe probe) {
    double d = probe.deltaLoss(new ProbedFusion(subset));
    if (Double.isNaN(d)) {
      throw new IllegalArgumentException("probed fusion: the probe measured NaN for " + subset);
    }
    return new Trial(List.copyOf(subset), d);
  }

  /** Measures a candidate: the held-out loss change of removing what its fused scores select. */
  @FunctionalInterface
  public interface RemovalProbe {
    double deltaLoss(Fusion candidate);
  }

  /** One probed subset and its measured Δloss (nats per token). */
  public record Trial(List<String> criteria, double deltaLoss) {
    public Trial {
      criteria = List.copyOf(criteria);
    }
  }

  /**
   * The outcome of a search.
   *
   * @param fusion the chosen equal-weight mean
   * @param deltaLoss its measured Δloss
   * @param trials every probe, in the order taken
   */
  public record Search(ProbedFusion fusion, double deltaLoss, List<Trial> trials) {
    public Search {
      trials = List.copyOf(trials);
    }
  }

  /**
   * Immutable search settings.
   *
   * @param maxCriteria largest subset, ≥ 1; default 4
   * @param shortlist best single criteria that may join the subset, ≥ 1; default 12
   */
  public record Config(int maxCriteria, int shortlist) {
    public Config {
      if (maxCriteria < 1) {
        throw new IllegalArgumentException(
            "probed fusion: maxCriteria must be ≥ 1, got " + maxCriteria);
      }
      if (shortlist < 1) {
        throw new IllegalArgumentException(
            "probed fusion: shortlist must be ≥ 1, got " + shortlist);
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Builder with the defaults above. */
    public static final class Builder {
      private int maxCriteria = 4;
      private int shortlist = 12;

      private Builder() {}

      public Builder maxCriteria(int maxCriteria) {
        this.maxCriteria = maxCriteria;
        return this;
      }

      public Builder shortlist(int shortlist) {
        this.shortlist = shortlist;
        return this;
      }

      public Config build() {
        return new Config(maxCriteria, shortlist);
      }
    }
  }
}
