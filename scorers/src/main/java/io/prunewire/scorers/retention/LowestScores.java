package io.prunewire.scorers.retention;

import io.prunewire.scorers.internal.IndexSort;
import java.util.Arrays;

/**
 * The removal set "bottom q of a layer": the {@code round(q · live)} alive neurons with the lowest
 * scores, where {@code live} counts the alive neurons. Equal scores are taken in ascending index
 * order (a stable sort), so the set is deterministic.
 */
public final class LowestScores {

  private LowestScores() {}

  /**
   * @param scores one score per neuron of the layer
   * @param alive which neurons are still unpruned, as long as {@code scores}
   * @param fraction q, the share of the alive neurons to take, in [0, 1]
   * @return the chosen neurons' indices in ascending index order
   * @throws IllegalArgumentException if the lengths differ or {@code fraction} is outside [0, 1]
   */
  public static int[] ofAlive(double[] scores, boolean[] alive, double fraction) {
    if (scores.length != alive.length) {
      throw new IllegalArgumentException(
          "scores has " + scores.length + " neurons, alive " + alive.length);
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
    }
    int live = 0;
    for (boolean a : alive) {
      live += a ? 1 : 0;
    }
    int count = (int) Math.round(fraction * live);
    int[] order = IndexSort.ascending(scores);
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < order.length && k < count; i++) {
      if (alive[order[i]]) {
        out[k++] = order[i];
      }
    }
    Arrays.sort(out);
    return out;
  }
}
