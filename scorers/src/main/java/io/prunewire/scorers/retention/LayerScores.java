package io.prunewire.scorers.retention;

import java.util.Arrays;
import java.util.Objects;

/**
 * What retention needs to know about one layer: a fused score per neuron (higher = more important),
 * each neuron's type, whether it is still alive (not pruned at an earlier checkpoint), and which
 * spiking neurons never fired. Immutable.
 */
public final class LayerScores {

  private final String layer;
  private final double[] scores;
  private final NeuronType[] types;
  private final boolean[] alive;
  private final boolean[] silent;

  private LayerScores(Builder b) {
    this.layer = b.layer;
    int n = b.scores.length;
    if (n == 0) {
      throw new IllegalArgumentException("layer " + layer + ": empty layer");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(b.scores[i])) {
        throw new IllegalArgumentException(
            "layer " + layer + ": score of neuron " + i + " is " + b.scores[i]);
      }
    }
    this.scores = b.scores.clone();
    this.types =
        b.types == null ? filled(n, NeuronType.ANALOG) : checkLength(b.types.clone(), n, "types");
    for (int i = 0; i < n; i++) {
      if (types[i] == null) {
        throw new IllegalArgumentException("layer " + layer + ": type of neuron " + i + " is null");
      }
    }
    if (b.alive == null) {
      this.alive = new boolean[n];
      Arrays.fill(alive, true);
    } else if (b.alive.length != n) {
      throw new IllegalArgumentException(
          "layer " + layer + ": alive has " + b.alive.length + " entries, expected " + n);
    } else {
      this.alive = b.alive.clone();
    }
    this.silent = new boolean[n];
    if (b.firingCounts != null) {
      if (b.firingCounts.length != n) {
        throw new IllegalArgumentException(
            "layer "
                + layer
                + ": firingCounts has "
                + b.firingCounts.length
                + " entries, expected "
                + n);
      }
      for (int i = 0; i < n; i++) {
        if (b.firingCounts[i] < 0) {
          throw new IllegalArgumentException(
              "layer "
                  + layer
                  + ": negative firing count "
                  + b.firingCounts[i]
                  + " for neuron "
                  + i);
        }
        silent[i] = types[i] == NeuronType.SPIKING && b.firingCounts[i] == 0;
      }
    }
  }

  private static NeuronType[] filled(int n, NeuronType t) {
    NeuronType[] a = new NeuronType[n];
    Arrays.fill(a, t);
    return a;
  }

  private NeuronType[] checkLength(NeuronType[] a, int n, String field) {
    if (a.length != n) {
      throw new IllegalArgumentException(
          "layer " + layer + ": " + field + " has " + a.length + " entries, expected " + n);
    }
    return a;
  }

  /** Scores of a layer whose neurons are all analog, alive and of unknown firing. */
  public static LayerScores of(String layer, double[] scores) {
    return builder(layer, scores).build();
  }

  public static Builder builder(String layer, double[] scores) {
    return new Builder(layer, scores);
  }

  public String layer() {
    return layer;
  }

  public int size() {
    return scores.length;
  }

  public double score(int neuron) {
    return scores[neuron];
  }

  public NeuronType type(int neuron) {
    return types[neuron];
  }

  public boolean alive(int neuron) {
    return alive[neuron];
  }

  /** A spiking neuron whose firing count is zero. */
  public boolean silent(int neuron) {
    return silent[neuron];
  }

  /** Number of neurons not pruned earlier. */
  public int aliveCount() {
    int c = 0;
    for (boolean a : alive) {
      if (a) {
        c++;
      }
    }
    return c;
  }

  /** Builder; only scores are required. */
  public static final class Builder {
    private final String layer;
    private final double[] scores;
    private NeuronType[] types;
    private boolean[] alive;
    private long[] firingCounts;

    private Builder(String layer, double[] scores) {
      this.layer = Objects.requireNonNull(layer, "layer");
      this.scores = Objects.requireNonNull(scores, "scores of layer " + layer);
    }

    /** Per-neuron types; default all {@link NeuronType#ANALOG}. */
    public Builder types(NeuronType[] types) {
      this.types = Objects.requireNonNull(types, "types");
      return this;
    }

    /** Current mask: false = pruned at an earlier checkpoint; default all alive. */
    public Builder alive(boolean[] alive) {
      this.alive = Objects.requireNonNull(alive, "alive");
      return this;
    }

    /** Firing (non-zero) counts; spiking neurons with count 0 are silent and pruned first. */
    public Builder firingCounts(long[] firingCounts) {
      this.firingCounts = Objects.requireNonNull(firingCounts, "firingCounts");
      return this;
    }

    public LayerScores build() {
      return new LayerScores(this);
    }
  }
}
