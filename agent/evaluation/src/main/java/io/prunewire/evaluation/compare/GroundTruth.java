package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.protocol.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ground truth: the loss change (nats/token, mean over a fixed set of held-out validation
 * batches, inference mode) of removing every hidden neuron alone, and of random groups removed
 * together. Every neuron is assigned to one of two folds (seeded, alternating within each layer in
 * a shuffled order); groups are drawn inside one fold so that a fusion fitted on one fold never saw
 * a measurement involving the other.
 */
final class GroundTruth {

  /**
   * Per layer (in layer order): Δloss of removing each neuron alone; NaN for neurons not sampled.
   */
  final Map<String, double[]> singles;

  /** Per layer: the fold (0 or 1) of each neuron. */
  final Map<String, int[]> folds;

  final List<Group> groups;
  final double intactLoss;
  final long tokens;
  final double millisPerAblation;

  /** Whether only a sample of the neurons was measured. */
  final boolean sampled;

  /** A group ablation: {@code members} as {layer index, neuron} pairs, all of one fold. */
  record Group(int fold, List<int[]> members, double deltaLoss) {}

  GroundTruth(
      Map<String, double[]> singles,
      Map<String, int[]> folds,
      List<Group> groups,
      double intactLoss,
      long tokens,
      double millisPerAblation,
      boolean sampled) {
    this.singles = singles;
    this.folds = folds;
    this.groups = groups;
    this.intactLoss = intactLoss;
    this.tokens = tokens;
    this.millisPerAblation = millisPerAblation;
    this.sampled = sampled;
  }

  /**
   * Measures with {@code heldOut}.
   *
   * @param groupsPerFold random groups per fold; sizes cycle through {@code fractions} of the
   *     fold's measured neurons
   * @param sample neurons measured alone, stratified by layer in proportion to its size (at least
   *     one per layer), seeded; 0 or at least the neuron count measures every neuron
   */
  static GroundTruth measure(
      HeldOutLoss heldOut,
      List<LayerSpec> specs,
      int groupsPerFold,
      List<Double> fractions,
      int sample,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, int[]> folds = new java.util.LinkedHashMap<>();
    List<List<int[]>> byFold = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<int[]>> removals = new ArrayList<>();
    int total = specs.stream().mapToInt(LayerSpec::neurons).sum();
    boolean sampled = sample > 0 && sample < total;
    for (int l = 0; l < specs.size(); l++) {
      int n = specs.get(l).neurons();
      int[] order = shuffled(n, random);
      int[] fold = new int[n];
      for (int r = 0; r < n; r++) {
        fold[order[r]] = r % 2;
      }
      folds.put(specs.get(l).name(), fold);
      int quota =
          sampled ? Math.min(n, Math.max(1, (int) Math.round((double) sample * n / total))) : n;
      int[] measured = sampled ? shuffled(n, random) : order;
      boolean[] chosen = new boolean[n];
      for (int r = 0; r < quota; r++) {
        chosen[measured[r]] = true;
      }
      for (int i = 0; i < n; i++) {
        if (chosen[i]) {
          removals.add(List.of(new int[] {l, i}));
          byFold.get(fold[i]).add(new int[] {l, i});
        }
      }
    }
    int singleCount = removals.size();
    List<Integer> groupFold = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      List<int[]> pool = byFold.get(f);
      for (int g = 0; g < groupsPerFold; g++) {
        int size = Math.max(2, (int) Math.round(fractions.get(g % fractions.size()) * pool.size()));
        if (size > pool.size()) {
          continue;
        }
        removals.add(sample(pool, size, random));
        groupFold.add(f);
      }
    }
    long start = System.nanoTime();
    double[] deltas;
    try (Progress bar = Progress.start("oracle ablations", removals.size(), " ablations")) {
      deltas = heldOut.deltaLosses(removals, bar::step);
    }
    double millis = (System.nanoTime() - start) / 1e6 / removals.size();
    Map<String, double[]> singles = new java.util.LinkedHashMap<>();
    for (LayerSpec spec : specs) {
      double[] d = new double[spec.neurons()];
      java.util.Arrays.fill(d, Double.NaN);
      singles.put(spec.name(), d);
    }
    int k = 0;
    for (; k < singleCount; k++) {
      int[] one = removals.get(k).get(0);
      singles.get(specs.get(one[0]).name())[one[1]] = deltas[k];
    }
    List<Group> groups = new ArrayList<>();
    for (int g = 0; k < deltas.length; g++, k++) {
      groups.add(new Group(groupFold.get(g), removals.get(singleCount + g), deltas[k]));
    }
    return new GroundTruth(
        singles, folds, groups, heldOut.intactLoss(), heldOut.tokens(), millis, sampled);
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** {@code k} distinct elements of {@code pool}, uniformly: the head of a seeded shuffle. */
  private static List<int[]> sample(List<int[]> pool, int k, SplittableRandom random) {
    int[] order = shuffled(pool.size(), random);
    List<int[]> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(pool.get(order[i]));
    }
    return List.copyOf(out);
  }

  /** Sum of the members' single Δloss: what the group would cost if effects added up. */
  double sumOfSingles(Group g, List<LayerSpec> specs) {
    double sum = 0;
    for (int[] m : g.members()) {
      sum += singles.get(specs.get(m[0]).name())[m[1]];
    }
    return sum;
  }
}
