package io.prunewire.scorers.stats;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
 * Matrix Computations, 4th ed., §8.5): rotations zero one off-diagonal pair at a time until the
 * off-diagonal mass is negligible. Cost per sweep is {@code O(m³)}; a handful of sweeps suffice.
 *
 * @param values  eigenvalues, in the order of the columns of {@code vectors}
 * @param vectors row-major {@code [m, m]}; column {@code k} is the unit eigenvector of {@code values[k]}
 */
record SymmetricEigen(double[] values, double[] vectors) {
    private static final int MAX_SWEEPS = 60;

    /** Decomposes the row-major symmetric {@code [m, m]} matrix {@code matrix} (left unchanged). */
    static SymmetricEigen of(double[] matrix, int m) {
        double[] a = matrix.clone();
        double[] v = new double[m * m];
        for (int i = 0; i < m; i++) {
            v[i * m + i] = 1;
        }
        double total = 0;
        for (double x : a) {
            total += x * x;
        }
        double tolerance = total * 1e-30;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    off += a[p * m + q] * a[p * m + q];
                }
            }
            if (off <= tolerance) {
                break;
            }
            for (int p = 0; p < m - 1; p++) {
                for (int q = p + 1; q < m; q++) {
                    rotate(a, v, m, p, q);
                }
            }
        }
        double[] values = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = a[i * m + i];
        }
        return new SymmetricEigen(values, v);
    }

    private static void rotate(double[] a, double[] v, int m, int p, int q) {
        double apq = a[p * m + q];
        if (apq == 0) {
            return;
        }
        double tau = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        double app = a[p * m + p];
        double aqq = a[q * m + q];
        for (int k = 0; k < m; k++) {
            if (k == p || k == q) {
                continue;
            }
            double akp = a[k * m + p];
            double akq = a[k * m + q];
            double newP = c * akp - s * akq;
            double newQ = s * akp + c * akq;
            a[k * m + p] = newP;
            a[p * m + k] = newP;
            a[k * m + q] = newQ;
            a[q * m + k] = newQ;
        }
        a[p * m + p] = app - t * apq;
        a[q * m + q] = aqq + t * apq;
        a[p * m + q] = 0;
        a[q * m + p] = 0;
        for (int k = 0; k < m; k++) {
            double vkp = v[k * m + p];
            double vkq = v[k * m + q];
            v[k * m + p] = c * vkp - s * vkq;
            v[k * m + q] = s * vkp + c * vkq;
        }
    }
}
