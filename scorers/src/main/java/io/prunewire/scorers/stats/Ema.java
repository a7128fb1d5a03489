package io.prunewire.scorers.stats;

import java.util.Arrays;

/**
 * Per-neuron exponentially weighted mean with a step stamp, kept as {@code (S, W, step)}: per
 * neuron {@code S_i = Σ_t decay^(step − t)·x_{i,t}}, layer-wide {@code W = Σ_t decay^(step − t)},
 * value {@code S_i / W}. Observations carry their training step; an observation older than the
 * stamp is discounted to it, and a newer one first rescales the state to its step. Merging
 * rescales both sides to the later step and adds, so the result does not depend on the order in
 * which observations or partial states arrive (up to rounding).
 */
public final class Ema {
    private static final String OWNER = "Ema";

    private final int neurons;
    private final double decay;
    private long step;
    private double weight;
    private final double[] sums;

    /** An empty average; {@code decay ∈ (0, 1]} is the factor applied per training step. */
    public Ema(int neurons, double decay) {
        this(Checks.neurons(OWNER, neurons), checkDecay(decay), 0, 0, new double[neurons]);
    }

    private Ema(int neurons, double decay, long step, double weight, double[] sums) {
        this.neurons = neurons;
        this.decay = decay;
        this.step = step;
        this.weight = weight;
        this.sums = sums;
    }

    private static double checkDecay(double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException(OWNER + ".decay must be in (0, 1], got " + decay);
        }
        return decay;
    }

    /** Restores an average from its state; {@code sums} is copied. */
    public static Ema of(double decay, long step, double weight, double[] sums) {
        checkDecay(decay);
        Checks.nonNegative(OWNER, "step", step);
        Checks.finite(OWNER, "weight", weight);
        if (weight < 0) {
            throw new IllegalArgumentException(OWNER + ".weight must be >= 0, got " + weight);
        }
        Checks.notNull(OWNER, "sums", sums);
        int n = Checks.neurons(OWNER, sums.length);
        Checks.finite(OWNER, "sums", sums, n);
        return new Ema(n, decay, step, weight, sums.clone());
    }

    /** Adds one observation per neuron taken at training step {@code at}. */
    public void add(long at, double[] values) {
        Checks.nonNegative(OWNER, "step", at);
        Checks.finite(OWNER, "values", values, neurons);
        combine(at, 1, values);
    }

    /** Adds one observation per neuron taken at training step {@code at}. */
    public void add(long at, float[] values) {
        Checks.notNull(OWNER, "values", values);
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        add(at, wide);
    }

    /** Merges {@code other} (same decay) into this. */
    public void merge(Ema other) {
        Checks.notNull(OWNER, "other", other);
        Checks.sameNeurons(OWNER, neurons, other.neurons);
        if (decay != other.decay) {
            throw new IllegalArgumentException(
                    OWNER + ": cannot merge decay " + other.decay + " into decay " + decay);
        }
        combine(other.step, other.weight, other.sums);
    }

    private void combine(long otherStep, double otherWeight, double[] otherSums) {
        double mine = 1;
        double theirs = 1;
        if (otherStep > step) {
            mine = Math.pow(decay, otherStep - step);
            step = otherStep;
        } else {
            theirs = Math.pow(decay, step - otherStep);
        }
        weight = weight * mine + otherWeight * theirs;
        for (int i = 0; i < neurons; i++) {
            sums[i] = sums[i] * mine + otherSums[i] * theirs;
        }
    }

    public Ema copy() {
        return new Ema(neurons, decay, step, weight, sums.clone());
    }

    public int neurons() {
        return neurons;
    }

    public double decay() {
        return decay;
    }

    /** The step the state is stamped with (the latest observation's step). */
    public long step() {
        return step;
    }

    /** {@code W}, the discounted number of observations. */
    public double weight() {
        return weight;
    }

    /** {@code S_i / W}. */
    public double value(int neuron) {
        if (weight == 0) {
            throw new IllegalStateException(OWNER + ": no observation yet");
        }
        return sums[neuron] / weight;
    }

    /** A copy of the discounted sums {@code S}. */
    public double[] sumArray() {
        return sums.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ema e && decay == e.decay && step == e.step && weight == e.weight
                && Arrays.equals(sums, e.sums);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(sums);
    }

    @Override
    public String toString() {
        return "Ema[neurons=" + neurons + ", decay=" + decay + ", step=" + step + ", weight=" + weight + "]";
    }
}
