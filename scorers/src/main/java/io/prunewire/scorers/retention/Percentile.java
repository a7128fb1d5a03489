package io.prunewire.scorers.retention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code percentile}: in every layer, prunes the alive neurons whose score is strictly below the
 * p-th percentile t of the layer's alive scores (linear interpolation between order statistics,
 * {@code t = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋))}, {@code h = (p/100)(m − 1)}, 0-based, m
 * alive neurons). Neurons tied at t are kept; silent spiking neurons count as below t.
 */
public record Percentile(double percentile) implements RetentionPolicy {

  public Percentile {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException(
          "percentile retention: percentile must be in [0, 100], got " + percentile);
    }
  }

  @Override
  public String name() {
    return "percentile";
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
            double[] alive = new double[l.aliveCount()];
            int m = 0;
            for (int i = 0; i < l.size(); i++) {
              if (l.alive(i)) {
                alive[m++] = l.score(i);
              }
            }
            if (m == 0) {
              pools.add(new Selector.Pool(List.of(l), null, 0));
              continue;
            }
            double t = threshold(alive, percentile);
            int keep = 0;
            for (int i = 0; i < l.size(); i++) {
              if (l.alive(i) && !l.silent(i) && l.score(i) >= t) {
                keep++;
              }
            }
            notes.put(l.layer(), "p" + percentile + " threshold " + t);
            pools.add(new Selector.Pool(List.of(l), null, keep));
          }
          return pools;
        });
  }

  /** The p-th percentile of {@code values} (non-empty) by linear interpolation. */
  static double threshold(double[] values, double percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double h = percentile / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
