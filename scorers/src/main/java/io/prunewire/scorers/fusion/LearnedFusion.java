package io.prunewire.scorers.fusion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * {@code learned}: non-negative, L2-regularised criterion weights fitted online to measured
 * ablation loss changes, so that {@code Δloss(G) ≈ Σ_{i∈G} fused[i] = w · Σ_{i∈G} x[i]} for a
 * removed group G of one or more neurons (x[i] = the neuron's normalised criteria).
 *
 * <p>Fitting single neurons alone teaches what single removals do, which on recurrent and spiking
 * networks need not add up (docs/DESIGN.md, "Why the fusion learns from removals of sets"), so
 * group measurements enter as one row whose features are the sum over the group.
 *
 * <p>The fit solves {@code min_{w ≥ 0} ‖Xw − y‖² + λ'‖w‖²} with {@code λ' = λ · trace(XᵀX)/p} (λ
 * relative, so it does not depend on the units of the criteria) from the sufficient statistics
 * {@code XᵀX} and {@code Xᵀy}, which are kept incrementally and add up under {@link #merge}, by
 * projected coordinate descent {@code w_j ← max(0, (Xᵀy_j − Σ_{k≠j} A_jk w_k) / A_jj)}, {@code A =
 * XᵀX + λ'I}. Weights are in units of Δloss per unit of normalised criterion. Before the first
 * training measurement the weights are equal ({@code 1/p}).
 *
 * <p>Every {@code holdOutEvery}-th measurement is held out of the fit (the most recent {@code
 * heldOutCapacity} are kept) and {@link #heldOutSpearman()} reports how well the fused score ranks
 * them. Not thread-safe; one instance per layer or per run.
 */
public final class LearnedFusion implements Fusion {

  private static final int MAX_SWEEPS = 1_000;
  private static final double SWEEP_TOLERANCE = 1e-12;

  private final Config config;
  private final List<String> criteria;
  private final int p;
  private final double[] gram;
  private final double[] moment;
  private long trained;
  private long measurements;
  private final double[] heldOutFeatures;
  private final double[] heldOutTargets;
  private int heldOutSize;
  private int heldOutNext;
  private double[] weights;
  private boolean stale = true;

  private LearnedFusion(Config config, List<String> criteria) {
    this.config = Objects.requireNonNull(config, "config");
    this.criteria = List.copyOf(criteria);
    if (this.criteria.isEmpty()) {
      throw new IllegalArgumentException("learned fusion: no criteria");
    }
    if (this.criteria.stream().distinct().count() != this.criteria.size()) {
      throw new IllegalArgumentException(
          "learned fusion: duplicate criterion names " + this.criteria);
    }
    this.p = this.criteria.size();
    this.gram = new double[p * p];
    this.moment = new double[p];
    this.heldOutFeatures = new double[config.heldOutCapacity() * p];
    this.heldOutTargets = new double[config.heldOutCapacity()];
  }

  /** A fusion over the given criteria (in this order) that has seen no measurements. */
  public static LearnedFusion create(Config config, List<String> criteria) {
    return new LearnedFusion(config, criteria);
  }

  /** Restores a fusion from {@link #state()}. */
  public static LearnedFusion restore(Config config, State state) {
    LearnedFusion f = new LearnedFusion(config, state.criteria());
    int p = f.p;
    if (state.gram().length != p * p || state.moment().length != p) {
      throw new IllegalArgumentException(
          "learned fusion state: "
              + p
              + " criteria need a "
              + p * p
              + "-element gram and "
              + p
              + "-element moment, got "
              + state.gram().length
              + " and "
              + state.moment().length);
    }
    if (state.heldOutTargets().length * p != state.heldOutFeatures().length) {
      throw new IllegalArgumentException(
          "learned fusion state: "
              + state.heldOutTargets().length
              + " held-out targets but "
              + state.heldOutFeatures().length
              + " held-out feature values");
    }
    if (state.trained() < 0 || state.measurements() < state.trained()) {
      throw new IllegalArgumentException(
          "learned fusion state: counts trained="
              + state.trained()
              + ", measurements="
              + state.measurements()
              + " are inconsistent");
    }
    requireFinite(state.gram(), "gram");
    requireFinite(state.moment(), "moment");
    System.arraycopy(state.gram(), 0, f.gram, 0, p * p);
    System.arraycopy(state.moment(), 0, f.moment, 0, p);
    f.trained = state.trained();
    f.measurements = state.measurements();
    for (int r = 0; r < state.heldOutTargets().length; r++) {
      f.holdOut(
          Arrays.copyOfRange(state.heldOutFeatures(), r * p, (r + 1) * p),
          state.heldOutTargets()[r]);
    }
    return f;
  }

  @Override
  public String name() {
    return "learned";
  }

  /** The criteria this fusion weighs, in feature order. */
  public List<String> criteria() {
    return criteria;
  }

  /** Records the measured loss change of removing one neuron. */
  public void observeNeuron(CriterionScores layer, int neuron, double deltaLoss) {
    observeGroup(layer, new int[] {neuron}, deltaLoss);
  }

  /**
   * Records the measured loss change of removing a group of neurons of one layer together; the
   * group's features are the sums of its neurons' normalised criteria.
   */
  public void observeGroup(CriterionScores layer, int[] neurons, double deltaLoss) {
    observe(features(layer, neurons), deltaLoss);
  }

  /**
   * The features of removing {@code neurons} of one layer: per criterion of {@link #criteria()},
   * the sum of their normalised scores. A removal spanning layers adds up the features of each
   * layer.
   */
  public double[] features(CriterionScores layer, int[] neurons) {
    if (neurons.length == 0) {
      throw new IllegalArgumentException("layer " + layer.layer() + ": empty ablation group");
    }
    boolean[] seen = new boolean[layer.neurons()];
    for (int i : neurons) {
      if (i < 0 || i >= layer.neurons()) {
        throw new IllegalArgumentException(
            "layer "
                + layer.layer()
                + ": ablated neuron "
                + i
                + " outside [0, "
                + layer.neurons()
                + ")");
      }
      if (seen[i]) {
        throw new IllegalArgumentException(
            "layer " + layer.layer() + ": neuron " + i + " twice in one ablation group");
      }
      seen[i] = true;
    }
    double[] features = new double[p];
    for (int c = 0; c < p; c++) {
      double[] x = layer.view(criteria.get(c));
      double sum = 0;
      for (int i : neurons) {
        sum += x[i];
      }
      features[c] = sum;
    }
    return features;
  }

  /**
   * The features of one removal spanning layers: {@link #features(CriterionScores, int[])} of each
   * layer's removed neurons, added up.
   *
   * @param neuronsByLayer removed neurons by layer name
   * @param layers the normalised criteria of a named layer
   */
  public double[] features(
      Map<String, int[]> neuronsByLayer, Function<String, CriterionScores> layers) {
    double[] features = new double[p];
    neuronsByLayer.forEach(
        (layer, neurons) -> {
          double[] part = features(layers.apply(layer), neurons);
          for (int c = 0; c < p; c++) {
            features[c] += part[c];
          }
        });
    return features;
  }

  /** Records one measurement given its feature vector directly (in {@link #criteria()} order). */
  public void observe(double[] features, double deltaLoss) {
    if (features.length != p) {
      throw new IllegalArgumentException(
          "learned fusion: " + features.length + " features, expected " + p);
    }
    requireFinite(features, "features");
    if (!Double.isFinite(deltaLoss)) {
      throw new IllegalArgumentException("learned fusion: measured Δloss is " + deltaLoss);
    }
    measurements++;
    if (measurements % config.holdOutEvery() == 0) {
      holdOut(features, deltaLoss);
      return;
    }
    for (int j = 0; j < p; j++) {
      moment[j] += features[j] * deltaLoss;
      for (int k = 0; k < p; k++) {
        gram[j * p + k] += features[j] * features[k];
      }
    }
    trained++;
    stale = true;
  }

  private void holdOut(double[] features, double deltaLoss) {
    int cap = heldOutTargets.length;
    System.arraycopy(features, 0, heldOutFeatures, heldOutNext * p, p);
    heldOutTargets[heldOutNext] = deltaLoss;
    heldOutNext = (heldOutNext + 1) % cap;
    heldOutSize = Math.min(heldOutSize + 1, cap);
  }

  /** Adds another fusion's measurements (same criteria in the same order) to this one. */
  public void merge(LearnedFusion other) {
    if (!criteria.equals(other.criteria)) {
      throw new IllegalArgumentException(
          "learned fusion: cannot merge criteria " + other.criteria + " into " + criteria);
    }
    for (int j = 0; j < gram.length; j++) {
      gram[j] += other.gram[j];
    }
    for (int j = 0; j < p; j++) {
      moment[j] += other.moment[j];
    }
    trained += other.trained;
    measurements += other.measurements;
    State o = other.state();
    for (int r = 0; r < o.heldOutTargets().length; r++) {
      holdOut(Arrays.copyOfRange(o.heldOutFeatures(), r * p, (r + 1) * p), o.heldOutTargets()[r]);
    }
    stale = true;
  }

  /** Number of measurements used for fitting (the others are held out). */
  public long trainingCount() {
    return trained;
  }

  /** The current non-negative weights, in {@link #criteria()} order. */
  public double[] weights() {
    if (stale) {
      weights = solve();
      stale = false;
    }
    return weights.clone();
  }

  private double[] solve() {
    double[] w = new double[p];
    if (trained == 0) {
      Arrays.fill(w, 1.0 / p);
      return w;
    }
    double trace = 0;
    for (int j = 0; j < p; j++) {
      trace += gram[j * p + j];
    }
    double ridge = config.ridge() * Math.max(trace / p, Double.MIN_NORMAL);
    if (weights != null) {
      System.arraycopy(weights, 0, w, 0, p); // warm start from the previous solution
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double change = 0;
      double size = 0;
      for (int j = 0; j < p; j++) {
        double diag = gram[j * p + j] + ridge;
        double r = moment[j];
        for (int k = 0; k < p; k++) {
          if (k != j) {
            r -= gram[j * p + k] * w[k];
          }
        }
        // a criterion that was zero in every measurement (and no ridge) carries no information
        double next = diag > 0 ? Math.max(0.0, r / diag) : 0.0;
        change = Math.max(change, Math.abs(next - w[j]));
        size = Math.max(size, Math.abs(next));
        w[j] = next;
      }
      if (change <= SWEEP_TOLERANCE * Math.max(size, 1e-300)) {
        break;
      }
    }
    return w;
  }

  @Override
  public FusedScores fuse(CriterionScores layer) {
    double[] w = weights();
    Map<String, Double> byName = new LinkedHashMap<>();
    for (int c = 0; c < p; c++) {
      layer.view(criteria.get(c)); // fails, naming the layer, if a criterion is missing
      byName.put(criteria.get(c), w[c]);
    }
    return WeightedSum.of(name(), layer, byName);
  }

  /**
   * Spearman correlation between the fused score {@code w·x} and the measured Δloss of the held-out
   * measurements; empty with fewer than 3 held out or when it is undefined (constant).
   */
  public OptionalDouble heldOutSpearman() {
    double[] w = weights();
    double[] predicted = new double[heldOutSize];
    for (int r = 0; r < heldOutSize; r++) {
      for (int c = 0; c < p; c++) {
        predicted[r] += w[c] * heldOutFeatures[r * p + c];
      }
    }
    return heldOutCorrelation(predicted);
  }

  /** The same held-out Spearman for one criterion alone: the baseline the fusion should beat. */
  public OptionalDouble heldOutSpearman(String criterion) {
    int c = criteria.indexOf(criterion);
    if (c < 0) {
      throw new IllegalArgumentException(
          "learned fusion: unknown criterion " + criterion + "; have " + criteria);
    }
    double[] column = new double[heldOutSize];
    for (int r = 0; r < heldOutSize; r++) {
      column[r] = heldOutFeatures[r * p + c];
    }
    return heldOutCorrelation(column);
  }

  private OptionalDouble heldOutCorrelation(double[] predicted) {
    if (heldOutSize < 3) {
      return OptionalDouble.empty();
    }
    double rho = Spearman.of(predicted, Arrays.copyOf(heldOutTargets, heldOutSize));
    return Double.isNaN(rho) ? OptionalDouble.empty() : OptionalDouble.of(rho);
  }

  /**
   * A snapshot of the sufficient statistics and held-out measurements (oldest first), for storage.
   */
  public State state() {
    double[] features = new double[heldOutSize * p];
    double[] targets = new double[heldOutSize];
    int cap = heldOutTargets.length;
    int oldest = heldOutSize < cap ? 0 : heldOutNext;
    for (int r = 0; r < heldOutSize; r++) {
      int slot = (oldest + r) % cap;
      System.arraycopy(heldOutFeatures, slot * p, features, r * p, p);
      targets[r] = heldOutTargets[slot];
    }
    return new State(
        criteria, gram.clone(), moment.clone(), trained, measurements, features, targets);
  }

  private static void requireFinite(double[] values, String field) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "learned fusion: " + field + "[" + i + "] is " + values[i]);
      }
    }
  }

  /**
   * Raw state: {@code gram} = XᵀX row-major p×p, {@code moment} = Xᵀy, counts, and the held-out
   * rows (row-major, p per row) with their targets.
   */
  public record State(
      List<String> criteria,
      double[] gram,
      double[] moment,
      long trained,
      long measurements,
      double[] heldOutFeatures,
      double[] heldOutTargets) {
    public State {
      criteria = List.copyOf(criteria);
      gram = gram.clone();
      moment = moment.clone();
      heldOutFeatures = heldOutFeatures.clone();
      heldOutTargets = heldOutTargets.clone();
    }

    @Override
    public double[] gram() {
      return gram.clone();
    }

    @Override
    public double[] moment() {
      return moment.clone();
    }

    @Override
    public double[] heldOutFeatures() {
      return heldOutFeatures.clone();
    }

    @Override
    public double[] heldOutTargets() {
      return heldOutTargets.clone();
    }
  }

  /**
   * Immutable settings.
   *
   * @param ridge relative L2 penalty λ (λ' = λ·trace(XᵀX)/p), ≥ 0; default 1e-4 (group features are
   *     nearly collinear — all grow with the group size — so a larger λ visibly shrinks the weights
   *     toward each other)
   * @param holdOutEvery every n-th measurement is held out for evaluation, n ≥ 2; default 5
   * @param heldOutCapacity how many recent held-out measurements are kept, ≥ 1; default 1024
   */
  public record Config(double ridge, int holdOutEvery, int heldOutCapacity) {
    public Config {
      if (!(ridge >= 0) || Double.isInfinite(ridge)) {
        throw new IllegalArgumentException(
            "learned fusion: ridge must be finite and ≥ 0, got " + ridge);
      }
      if (holdOutEvery < 2) {
        throw new IllegalArgumentException(
            "learned fusion: holdOutEvery must be ≥ 2, got " + holdOutEvery);
      }
      if (heldOutCapacity < 1) {
        throw new IllegalArgumentException(
            "learned fusion: heldOutCapacity must be ≥ 1, got " + heldOutCapacity);
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Builder with the defaults above. */
    public static final class Builder {
      private double ridge = 1e-4;
      private int holdOutEvery = 5;
      private int heldOutCapacity = 1024;

      private Builder() {}

      public Builder ridge(double ridge) {
        this.ridge = ridge;
        return this;
      }

      public Builder holdOutEvery(int holdOutEvery) {
        this.holdOutEvery = holdOutEvery;
        return this;
      }

      public Builder heldOutCapacity(int heldOutCapacity) {
        this.heldOutCapacity = heldOutCapacity;
        return this;
      }

      public Config build() {
        return new Config(ridge, holdOutEvery, heldOutCapacity);
      }
    }
  }
}
