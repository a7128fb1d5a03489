package io.prunewire.scorers.stats;

/**
 * Effective rank of a matrix (Roy & Vetterli, "The effective rank: a measure of effective
 * dimensionality", EUSIPCO 2007): {@code erank = exp(H)}, {@code H = −Σ_k p_k·ln p_k},
 * {@code p_k = σ_k / Σσ} over the singular values {@code σ_k}; 0 for the zero matrix. Ranges from
 * 1 (rank one) to {@code min(rows, cols)} (all singular values equal).
 *
 * <p>Per-neuron contribution: the drop {@code erank(A) − erank(A without column i)} for the
 * incoming matrix {@code A} {@code [fanIn, n]}. {@link #drops} uses one eigen-decomposition of the
 * smaller Gram matrix ({@code AᵀA} or {@code AAᵀ}, size {@code m = min(fanIn, n)}) and a
 * first-order update per neuron: removing column {@code a_i} is the rank-one downdate
 * {@code AAᵀ − a_i a_iᵀ}, so each eigenvalue moves by {@code −(u_kᵀ a_i)² = −λ_k·V_ik²}
 * (the neuron's leverage on component {@code k}, scaled by {@code λ_k}); the drop is the
 * effective rank of that perturbed spectrum. It is exact when a column is orthogonal to the
 * others and preserves the exact change of the total energy {@code Σλ}. Cost
 * {@code O(fanIn·n·m + sweeps·m³ + n·m)}, run where weight snapshots are taken, never per rescore.
 * {@link #exactDrops} recomputes the spectrum for every removed column ({@code O(n·m³)}), the
 * reference the tests use.
 */
final class EffectiveRank {
    private EffectiveRank() {
    }

    /** {@code exp(H)} from the eigenvalues {@code λ_k = σ_k²} of a Gram matrix; rounding negatives count as 0. */
    static double fromEigenvalues(double[] lambda) {
        double sum = 0;
        double sumSLogS = 0;
        for (double l : lambda) {
            if (l > 0) {
                double s = Math.sqrt(l);
                sum += s;
                sumSLogS += s * Math.log(s);
            }
        }
        if (sum == 0) {
            return 0;
        }
        // H = −Σ (s/S) ln(s/S) = ln S − (Σ s ln s) / S
        return Math.exp(Math.log(sum) - sumSLogS / sum);
    }

    /** Effective rank of the row-major matrix {@code a} {@code [rows, cols]}. */
    static double of(double[] a, int rows, int cols) {
        return fromEigenvalues(SymmetricEigen.of(smallerGram(a, rows, cols), Math.min(rows, cols)).values());
    }

    /** {@code AᵀA} ({@code [cols, cols]}) when {@code cols <= rows}, else {@code AAᵀ} ({@code [rows, rows]}). */
    static double[] smallerGram(double[] a, int rows, int cols) {
        if (cols <= rows) {
            double[] g = new double[cols * cols];
            for (int j = 0; j < rows; j++) {
                int o = j * cols;
                for (int p = 0; p < cols; p++) {
                    double x = a[o + p];
                    if (x == 0) {
                        continue;
                    }
                    int gp = p * cols;
                    for (int q = p; q < cols; q++) {
                        g[gp + q] += x * a[o + q];
                    }
                }
            }
            mirrorUpper(g, cols);
            return g;
        }
        double[] g = new double[rows * rows];
        for (int p = 0; p < rows; p++) {
            for (int q = p; q < rows; q++) {
                double s = 0;
                int op = p * cols;
                int oq = q * cols;
                for (int i = 0; i < cols; i++) {
                    s += a[op + i] * a[oq + i];
                }
                g[p * rows + q] = s;
            }
        }
        mirrorUpper(g, rows);
        return g;
    }

    private static void mirrorUpper(double[] g, int m) {
        for (int p = 0; p < m; p++) {
            for (int q = p + 1; q < m; q++) {
                g[q * m + p] = g[p * m + q];
            }
        }
    }

    /** First-order effective-rank drop per column of {@code a} {@code [fanIn, n]} (see class doc). */
    static double[] drops(double[] a, int fanIn, int n) {
        int m = Math.min(fanIn, n);
        SymmetricEigen eigen = SymmetricEigen.of(smallerGram(a, fanIn, n), m);
        double[] lambda = eigen.values();
        double[] vectors = eigen.vectors();
        // leverage[i * m + k] = (u_kᵀ a_i)², the energy column i holds in component k
        double[] leverage = new double[n * m];
        if (n <= fanIn) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    double v = vectors[i * m + k];
                    leverage[i * m + k] = Math.max(0, lambda[k]) * v * v;
                }
            }
        } else {
            for (int j = 0; j < fanIn; j++) {
                for (int k = 0; k < m; k++) {
                    double u = vectors[j * m + k];
                    if (u == 0) {
                        continue;
                    }
                    int o = j * n;
                    for (int i = 0; i < n; i++) {
                        leverage[i * m + k] += u * a[o + i];
                    }
                }
            }
            for (int j = 0; j < leverage.length; j++) {
                leverage[j] *= leverage[j];
            }
        }
        double base = fromEigenvalues(lambda);
        double[] drops = new double[n];
        double[] perturbed = new double[m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                perturbed[k] = Math.max(0, lambda[k] - leverage[i * m + k]);
            }
            drops[i] = base - fromEigenvalues(perturbed);
        }
        return drops;
    }

    /** Exact drop per column: the effective rank recomputed without each column in turn. */
    static double[] exactDrops(double[] a, int fanIn, int n) {
        double base = of(a, fanIn, n);
        double[] drops = new double[n];
        if (n == 1) {
            drops[0] = base;
            return drops;
        }
        double[] without = new double[fanIn * (n - 1)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < fanIn; j++) {
                int c = 0;
                for (int col = 0; col < n; col++) {
                    if (col != i) {
                        without[j * (n - 1) + c++] = a[j * n + col];
                    }
                }
            }
            drops[i] = base - of(without, fanIn, n - 1);
        }
        return drops;
    }
}
