package io.prunewire.trainer.probe;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.NeuronMasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures the true loss change of removing neurons, the ground truth the agent learns fusion from:
 * {@code Δloss = L(without the neurons) − L(intact)} in inference mode on a fixed held-out probe
 * batch, where "without" zeroes every parameter the neurons own.
 *
 * <p>It removes a few sampled neurons one at a time and a few random groups together, each group
 * the size the next checkpoint will remove, because single-neuron effects do not add up in
 * recurrent and spiking networks (docs/DESIGN.md, "Why the fusion learns from removals of sets").
 * Neurons already pruned are never sampled. Sampling is seeded; the network is restored exactly.
 * Cost: one forward pass per measurement plus one for the intact loss.
 */
public final class AblationProbe {

  private final int singles;
  private final int groups;
  private final long seed;

  private AblationProbe(Builder b) {
    this.singles = b.singles;
    this.groups = b.groups;
    this.seed = b.seed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the probe.
   *
   * @param layers what each neuron owns, per prunable layer
   * @param masks masks in force (their pruned neurons are not sampled), or {@code null} for none
   * @param groupSize neurons per group (the planned removals of the next checkpoint); groups are
   *     skipped when it is below 2 or exceeds the live neurons
   * @param round distinguishes successive checkpoints: the sample is a function of (seed, round)
   * @return single measurements first, then groups
   */
  public List<AblationEvent.Measurement> measure(
      ProbeEvaluator evaluator,
      List<LayerOwnership> layers,
      NeuronMasks masks,
      int groupSize,
      long round) {
    if (groupSize < 0) {
      throw new IllegalArgumentException("groupSize must be >= 0, got " + groupSize);
    }
    List<int[]> alive = new ArrayList<>(); // (layer, neuron)
    for (int l = 0; l < layers.size(); l++) {
      LayerOwnership own = layers.get(l);
      boolean[] keep =
          masks != null && masks.layers().contains(own.layer()) ? masks.keep(own.layer()) : null;
      for (int i = 0; i < own.neurons(); i++) {
        if (keep == null || keep[i]) {
          alive.add(new int[] {l, i});
        }
      }
    }
    if (alive.isEmpty()) {
      throw new IllegalArgumentException("ablation probe: every neuron is already pruned");
    }
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (round + 1)));
    List<List<int[]>> draws = new ArrayList<>();
    for (int[] one : sample(alive, Math.min(singles, alive.size()), random)) {
      draws.add(List.of(one));
    }
    if (groupSize >= 2 && groupSize <= alive.size()) {
      for (int g = 0; g < groups; g++) {
        draws.add(sample(alive, groupSize, random));
      }
    }
    double[] deltas = deltaLosses(evaluator, layers, draws, () -> {});
    List<AblationEvent.Measurement> out = new ArrayList<>(draws.size());
    for (int k = 0; k < draws.size(); k++) {
      out.add(new AblationEvent.Measurement(removals(layers, draws.get(k)), deltas[k]));
    }
    return out;
  }

  /**
   * {@code Δloss} of each given removal, measured as {@link #measure} does (every parameter the
   * neurons own zeroed, the network restored exactly afterwards): the exhaustive oracle of {@code
   * prunewire compare}.
   *
   * @param removals each a list of {@code {layer index, neuron}} pairs removed together
   * @param done called after each measurement (progress)
   */
  public static double[] deltaLosses(
      ProbeEvaluator evaluator,
      List<LayerOwnership> layers,
      List<List<int[]>> removals,
      Runnable done) {
    double[][] perBatch = deltaLosses(List.of(evaluator), layers, removals, done);
    double[] deltas = new double[perBatch.length];
    for (int k = 0; k < deltas.length; k++) {
      deltas[k] = perBatch[k][0];
    }
    return deltas;
  }

  /**
   * As {@link #deltaLosses(ProbeEvaluator, List, List, Runnable)}, on each of {@code evaluators}
   * (one per batch, all over the same network) in one session: {@code [removal][batch]}.
   */
  public static double[][] deltaLosses(
      List<ProbeEvaluator> evaluators,
      List<LayerOwnership> layers,
      List<List<int[]>> removals,
      Runnable done) {
    requireOneNetwork(evaluators, "ablation");
    // every removal checked before anything is measured
    int[][] owned = new int[removals.size()][];
    for (int k = 0; k < owned.length; k++) {
      owned[k] = ownedParameters(layers, removals.get(k), "ablation");
    }
    double[][] deltas = new double[removals.size()][];
    try (ProbeSession session = new ProbeSession(evaluators.get(0))) {
      double[] intact = losses(evaluators);
      for (int k = 0; k < deltas.length; k++) {
        session.zero(owned[k]);
        deltas[k] = minus(losses(evaluators), intact);
        done.run();
      }
    }
    return deltas;
  }

  /** Each evaluator's loss at the network's current parameters. */
  static double[] losses(List<ProbeEvaluator> evaluators) {
    double[] out = new double[evaluators.size()];
    for (int b = 0; b < out.length; b++) {
      out[b] = evaluators.get(b).loss();
    }
    return out;
  }

  /** {@code a − b}, element by element, into {@code a}. */
  static double[] minus(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] -= b[i];
    }
    return a;
  }

  /**
   * Fails unless {@code evaluators} is non-empty and all evaluate one network.
   *
   * @param what names the caller in the error
   */
  static void requireOneNetwork(List<ProbeEvaluator> evaluators, String what) {
    if (evaluators.isEmpty()) {
      throw new IllegalArgumentException(what + ": no batches to measure on");
    }
    for (ProbeEvaluator e : evaluators) {
      if (e.network() != evaluators.get(0).network()) {
        throw new IllegalArgumentException(what + ": evaluators of different networks");
      }
    }
  }

  /** {@code k} distinct elements, uniformly (partial Fisher–Yates on a copy). */
  private static List<int[]> sample(List<int[]> from, int k, SplittableRandom random) {
    List<int[]> pool = new ArrayList<>(from);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(pool.size() - i);
      int[] t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
    }
    return new ArrayList<>(pool.subList(0, k));
  }

  /**
   * The flat parameter indices that the {@code {layer index, neuron}} pairs of {@code removal} own.
   *
   * @param what names the caller in the error
   * @throws IllegalArgumentException naming a pair that is not a neuron of {@code layers}
   */
  static int[] ownedParameters(List<LayerOwnership> layers, List<int[]> removal, String what) {
    for (int[] d : removal) {
      if (d.length != 2
          || d[0] < 0
          || d[0] >= layers.size()
          || d[1] < 0
          || d[1] >= layers.get(d[0]).neurons()) {
        throw new IllegalArgumentException(
            what
                + ": "
                + Arrays.toString(d)
                + " is not a {layer, neuron} pair of "
                + layers.size()
                + " layers");
      }
    }
    return removal.stream()
        .flatMapToInt(d -> Arrays.stream(layers.get(d[0]).owned()[d[1]]))
        .toArray();
  }

  private static List<AblationEvent.Removal> removals(
      List<LayerOwnership> layers, List<int[]> draw) {
    Map<Integer, List<Integer>> byLayer = new LinkedHashMap<>();
    draw.stream()
        .sorted((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]))
        .forEach(d -> byLayer.computeIfAbsent(d[0], k -> new ArrayList<>()).add(d[1]));
    List<AblationEvent.Removal> out = new ArrayList<>();
    byLayer.forEach(
        (l, neurons) ->
            out.add(
                new AblationEvent.Removal(
                    layers.get(l).layer(),
                    neurons.stream().mapToInt(Integer::intValue).toArray())));
    return out;
  }

  /** Settings of an {@link AblationProbe}. */
  public static final class Builder {
    private int singles = 8;
    private int groups = 4;
    private long seed = 7;

    private Builder() {}

    /** Neurons removed one at a time per checkpoint (default 8). */
    public Builder singles(int singles) {
      if (singles < 0) {
        throw new IllegalArgumentException("singles must be >= 0, got " + singles);
      }
      this.singles = singles;
      return this;
    }

    /** Random groups removed together per checkpoint (default 4). */
    public Builder groups(int groups) {
      if (groups < 0) {
        throw new IllegalArgumentException("groups must be >= 0, got " + groups);
      }
      this.groups = groups;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public AblationProbe build() {
      return new AblationProbe(this);
    }
  }
}
