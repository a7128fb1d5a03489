package io.prunewire.scorers.retention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code cv}: the original proposal's adaptive rule. Per layer, over the alive neurons' scores
 * shifted so the smallest is ≥ 0 ({@code v = s − min(0, min s)}), the coefficient of variation
 * {@code CV = σ/μ} (population σ; CV = 0 when μ = 0) picks a share of cumulative importance: CV
 * &gt; 2.5 → 70%, CV &gt; 1.5 → 80%, otherwise the conservative default (90% unless configured).
 * The layer keeps the fewest highest-scoring neurons whose v sum to at least that share of Σv; when
 * Σv = 0 (all scores equal) it keeps ⌈share·m⌉ of its m alive neurons.
 */
public record CoefficientOfVariation(double defaultShare) implements RetentionPolicy {

  /** The rule with a 90% default share. */
  public static final CoefficientOfVariation DEFAULT = new CoefficientOfVariation(0.9);

  public CoefficientOfVariation {
    if (!(defaultShare > 0 && defaultShare <= 1)) {
      throw new IllegalArgumentException(
          "cv retention: default share must be in (0, 1], got " + defaultShare);
    }
  }

  @Override
  public String name() {
    return "cv";
  }

  /** The share of cumulative importance kept at a given coefficient of variation. */
  public double share(double cv) {
    return cv > 2.5 ? 0.7 : cv > 1.5 ? 0.8 : defaultShare;
  }

  @Override
  public Retention select(List<LayerScores> layers, RetentionRails rails) {
    return Selector.select(
        name(),
        layers,
        rails,
        (eligible, notes) -> {
          List<Selector.Pool> pools = new ArrayList<>();
          for (LayerScores l : eligible) {
            double[] v = new double[l.aliveCount()];
            int m = 0;
            for (int i = 0; i < l.size(); i++) {
              if (l.alive(i)) {
                v[m++] = l.score(i);
              }
            }
            if (m == 0) {
              pools.add(new Selector.Pool(List.of(l), null, 0));
              continue;
            }
            double min = Arrays.stream(v).min().orElseThrow();
            double shift = Math.min(0, min);
            double sum = 0;
            for (int k = 0; k < m; k++) {
              v[k] -= shift;
              sum += v[k];
            }
            double mean = sum / m;
            double squares = 0;
            for (double x : v) {
              squares += (x - mean) * (x - mean);
            }
            double cv = mean > 0 ? Math.sqrt(squares / m) / mean : 0;
            double share = share(cv);
            int keep = keptForShare(v, sum, share);
            notes.put(
                l.layer(),
                String.format(Locale.ROOT, "cv %.3f: keep %.0f%% of importance", cv, 100 * share));
            pools.add(new Selector.Pool(List.of(l), null, keep));
          }
          return pools;
        });
  }

  private static int keptForShare(double[] v, double sum, double share) {
    if (sum == 0) {
      return (int) Math.ceil(share * v.length - 1e-9);
    }
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    double target = share * sum * (1 - 1e-12); // do not let rounding of the sum add a neuron
    double cumulative = 0;
    int keep = 0;
    for (int k = sorted.length - 1; k >= 0 && cumulative < target; k--) {
      cumulative += sorted[k];
      keep++;
    }
    return keep;
  }
}
