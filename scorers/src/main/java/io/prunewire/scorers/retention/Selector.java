package io.prunewire.scorers.retention;

import io.prunewire.scorers.internal.IndexSort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The selection every policy shares: given pools (sets of alive neurons of eligible layers with a
 * number to keep), prunes each pool's lowest-ranked neurons under the rails.
 */
final class Selector {

  /**
   * Alive neurons of {@code layers} (of {@code type}, or of every type when null) of which {@code
   * keep} should survive.
   */
  record Pool(List<LayerScores> layers, NeuronType type, int keep) {}

  /** Plans the pools for the eligible (unprotected) layers and notes a line per layer. */
  interface Planner {
    List<Pool> plan(List<LayerScores> eligible, Map<String, String> notes);
  }

  private Selector() {}

  static Retention select(
      String policy, List<LayerScores> layers, RetentionRails rails, Planner planner) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException(policy + " retention: no layers");
    }
    Set<String> names = new HashSet<>();
    List<LayerScores> eligible = new ArrayList<>();
    for (LayerScores l : layers) {
      if (!names.add(l.layer())) {
        throw new IllegalArgumentException(
            policy + " retention: layer " + l.layer() + " given twice");
      }
      if (!rails.isProtected(l.layer())) {
        eligible.add(l);
      }
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    boolean[][] keep = new boolean[layers.size()][];
    Reason[][] reasons = new Reason[layers.size()][];
    int[] aliveNow = new int[layers.size()];
    int[] prunedNow = new int[layers.size()];
    int[] prunedTotal = new int[1];
    for (int l = 0; l < layers.size(); l++) {
      LayerScores layer = layers.get(l);
      index.put(layer.layer(), l);
      keep[l] = new boolean[layer.size()];
      reasons[l] = new Reason[layer.size()];
      boolean isProtected = rails.isProtected(layer.layer());
      for (int i = 0; i < layer.size(); i++) {
        keep[l][i] = layer.alive(i);
        reasons[l][i] =
            !layer.alive(i)
                ? Reason.PRUNED_BEFORE
                : isProtected ? Reason.KEPT_PROTECTED : Reason.KEPT;
      }
      aliveNow[l] = layer.aliveCount();
    }
    Map<String, String> notes = new LinkedHashMap<>();
    for (Pool pool : planner.plan(eligible, notes)) {
      prune(pool, index, rails, keep, reasons, aliveNow, prunedNow, prunedTotal);
    }
    List<LayerDecision> decisions = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      LayerScores layer = layers.get(l);
      String note =
          rails.isProtected(layer.layer()) ? "protected" : notes.getOrDefault(layer.layer(), "");
      String summary =
          (note.isEmpty() ? "" : note + "; ")
              + "keep "
              + aliveNow[l]
              + " of "
              + layer.size()
              + " (pruned now "
              + prunedNow[l]
              + ", before "
              + (layer.size() - layer.aliveCount())
              + ")";
      decisions.add(new LayerDecision(layer.layer(), keep[l], reasons[l], summary));
    }
    return new Retention(policy, decisions);
  }

  private static void prune(
      Pool pool,
      Map<String, Integer> index,
      RetentionRails rails,
      boolean[][] keep,
      Reason[][] reasons,
      int[] aliveNow,
      int[] prunedNow,
      int[] prunedTotal) {
    int maxSize = 0;
    for (LayerScores l : pool.layers()) {
      maxSize = Math.max(maxSize, l.size());
    }
    // Candidates laid out index-major so that a stable sort by key breaks ties by lower index,
    // then by earlier layer.
    int count = 0;
    for (LayerScores l : pool.layers()) {
      for (int i = 0; i < l.size(); i++) {
        if (inPool(pool, l, i)) {
          count++;
        }
      }
    }
    int[] layerOf = new int[count];
    int[] neuronOf = new int[count];
    double[] keys = new double[count];
    int c = 0;
    for (int i = 0; i < maxSize; i++) {
      for (LayerScores l : pool.layers()) {
        if (i < l.size() && inPool(pool, l, i)) {
          layerOf[c] = index.get(l.layer());
          neuronOf[c] = i;
          keys[c] = l.silent(i) ? Double.NEGATIVE_INFINITY : l.score(i);
          c++;
        }
      }
    }
    int toPrune = count - Math.max(0, pool.keep());
    int pruned = 0;
    int[] order = IndexSort.ascending(keys);
    for (int p = 0; p < order.length && pruned < toPrune; p++) {
      int k = order[p];
      int l = layerOf[k];
      int i = neuronOf[k];
      int size = keep[l].length;
      Reason held = null;
      if (aliveNow[l] - 1 < rails.floor(size)) {
        held = Reason.KEPT_FLOOR;
      } else if (prunedNow[l] >= rails.maxRemovedPerCheckpoint(size)
          || prunedTotal[0] >= rails.maxRemovedPerCheckpoint()) {
        held = Reason.KEPT_CHECKPOINT_LIMIT;
      }
      if (held != null) {
        // A rail is the reason only for neurons below the policy's own cut; the walk goes on so
        // that others of the pool (other layers) are pruned in their place.
        if (p < toPrune) {
          reasons[l][i] = held;
        }
        continue;
      }
      keep[l][i] = false;
      reasons[l][i] =
          keys[k] == Double.NEGATIVE_INFINITY ? Reason.PRUNED_SILENT : Reason.PRUNED_LOW_SCORE;
      aliveNow[l]--;
      prunedNow[l]++;
      prunedTotal[0]++;
      pruned++;
    }
  }

  private static boolean inPool(Pool pool, LayerScores layer, int neuron) {
    return layer.alive(neuron) && (pool.type() == null || layer.type(neuron) == pool.type());
  }
}
