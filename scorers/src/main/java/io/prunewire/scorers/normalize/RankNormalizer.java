package io.prunewire.scorers.normalize;

import java.util.Arrays;

/**
 * Rank normalisation: {@code r_i / (n − 1)} with {@code r_i} the 0-based rank of neuron {@code i},
 * tied scores sharing the average of their ranks, so the result is in {@code [0, 1]}, uniform over
 * the layer and insensitive to outliers and units. {@code O(n log n)}.
 */
public final class RankNormalizer implements Normalizer {
    @Override
    public String name() {
        return "rank";
    }

    @Override
    public String formula() {
        return "average 0-based rank / (n - 1)";
    }

    @Override
    public double[] normalize(String layer, double[] scores) {
        Scores.check("rank", layer, scores);
        int n = scores.length;
        if (n == 1) {
            return Scores.constant(1);
        }
        // boxed index sort, O(n log n): a layer has thousands of neurons, not millions
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] out = new double[n];
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double rank = 0.5 * (start + end) / (n - 1);
            for (int j = start; j <= end; j++) {
                out[order[j]] = rank;
            }
            start = end + 1;
        }
        return out;
    }
}
