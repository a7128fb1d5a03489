package io.prunewire.scorers.stats;

/**
 * Effective rank of a matrix (Roy &amp; Vetterli, "The effective rank: a measure of effective
 * dimensionality", EUSIPCO 2007): {@code erank = exp(H)}, {@code H = −Σ_k p_k·ln p_k}, {@code p_k =
 * σ_k / Σσ} over the singular values {@code σ_k}; 0 for the zero matrix. Ranges from 1 (rank one)
 * to {@code min(rows, cols)} (all singular values equal). Singular values are taken from the
 * eigenvalues {@code λ = σ²} of a Gram matrix, which squares the condition number: eigenvalues
 * below {@code 1e-12·λ_max} of the original matrix (singular values below {@code 1e-6·σ_max}) are
 * rounding noise and count as zero, a numerical rank consistent with the ~7 significant digits of
 * float32 weights.
 *
 * <p>Per-neuron contribution: the drop {@code erank(A) − erank(A without column i)} for the
 * incoming matrix {@code A} {@code [fanIn, n]}. {@link #drops} decomposes the smaller Gram matrix
 * ({@code AᵀA} or {@code AAᵀ}, size {@code m = min(fanIn, n)}) once. Removing column {@code a_i} is
 * the rank-one downdate {@code AAᵀ − a_i a_iᵀ}; with {@code z_k = u_kᵀ a_i} (so {@code z_k² =
 * λ_k·V_ik²}, the neuron's leverage on component {@code k} scaled by {@code λ_k}) the downdated
 * eigenvalues are the roots of the secular equation {@code 1 − Σ_k z_k² / (λ_k − μ) = 0}, one
 * between each pair of consecutive {@code λ_k} (Golub, "Some modified matrix eigenvalue problems",
 * SIAM Review 15, 1973). Each root is bracketed and solved to {@code 1e-15·λ_max} (see {@code
 * Downdate}), so the drop is exact to rounding, not a first-order estimate (a first-order expansion
 * in {@code z_k²} is useless here: removing a whole column is not a small perturbation). Cost
 * {@code O(fanIn·n·m + m³ + n·m²·iterations)} with a few iterations per root: meant for weight
 * snapshots taken every few hundred steps, never for per-event rescoring. {@link #exactDrops}
 * recomputes the spectrum from scratch for every removed column ({@code O(n·m³)}), the brute-force
 * reference of the tests.
 */
final class EffectiveRank {
  private static final double NOISE = 1e-12;

  private EffectiveRank() {}

  /**
   * Eigenvalues at or below this are zero for a matrix whose largest eigenvalue is {@code largest}.
   */
  static double noiseFloor(double[] lambda) {
    double largest = 0;
    for (double l : lambda) {
      largest = Math.max(largest, l);
    }
    return NOISE * largest;
  }

  /**
   * {@code exp(H)} from the eigenvalues {@code λ_k = σ_k²} of a Gram matrix, ignoring eigenvalues
   * at or below {@code floor}.
   */
  static double fromEigenvalues(double[] lambda, double floor) {
    double sum = 0;
    double sumSLogS = 0;
    for (double l : lambda) {
      if (l > floor) {
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
    return of(a, rows, cols, -1);
  }

  /** As {@link #of(double[], int, int)} with an explicit noise floor ({@code < 0}: its own). */
  private static double of(double[] a, int rows, int cols, double floor) {
    double[] lambda = SymmetricEigen.of(smallerGram(a, rows, cols), Math.min(rows, cols)).values();
    return fromEigenvalues(lambda, floor < 0 ? noiseFloor(lambda) : floor);
  }

  /**
   * {@code AᵀA} ({@code [cols, cols]}) when {@code cols <= rows}, else {@code AAᵀ} ({@code [rows,
   * rows]}).
   */
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

  /**
   * Effective-rank drop per column of {@code a} {@code [fanIn, n]} via the secular equation (see
   * class doc).
   */
  static double[] drops(double[] a, int fanIn, int n) {
    int m = Math.min(fanIn, n);
    SymmetricEigen eigen = SymmetricEigen.of(smallerGram(a, fanIn, n), m);
    Integer[] order = new Integer[m];
    for (int k = 0; k < m; k++) {
      order[k] = k;
    }
    double[] values = eigen.values();
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    double[] lambda = new double[m];
    for (int k = 0; k < m; k++) {
      lambda[k] = Math.max(0, values[order[k]]);
    }
    double[] vectors = eigen.vectors();
    // z2[i * m + k] = (u_kᵀ a_i)², k in descending eigenvalue order
    double[] z2 = new double[n * m];
    if (n <= fanIn) {
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < m; k++) {
          double v = vectors[i * m + order[k]];
          z2[i * m + k] = lambda[k] * v * v;
        }
      }
    } else {
      for (int j = 0; j < fanIn; j++) {
        int o = j * n;
        for (int k = 0; k < m; k++) {
          double u = vectors[j * m + order[k]];
          if (u == 0) {
            continue;
          }
          for (int i = 0; i < n; i++) {
            z2[i * m + k] += u * a[o + i];
          }
        }
      }
      for (int j = 0; j < z2.length; j++) {
        z2[j] *= z2[j];
      }
    }
    double floor = noiseFloor(lambda);
    double base = fromEigenvalues(lambda, floor);
    double[] drops = new double[n];
    Downdate downdate = new Downdate(lambda);
    double[] roots = new double[m];
    for (int i = 0; i < n; i++) {
      downdate.eigenvalues(z2, i * m, roots);
      drops[i] = base - fromEigenvalues(roots, floor);
    }
    return drops;
  }

  /**
   * Eigenvalues of {@code diag(λ) − z zᵀ} for descending {@code λ ≥ 0}: components with a
   * negligible {@code z_k²} and repeated poles deflate (their eigenvalue stays {@code λ_k}); the
   * rest are the roots of {@code f(μ) = 1 − Σ w_k / (d_k − μ)}, which decreases monotonically
   * between consecutive poles {@code d_k}: one root per interval, bracketed.
   */
  private static final class Downdate {
    private static final int MAX_ITERATIONS = 200;
    private final double[] lambda;

    /** Poles closer than this are one repeated pole. */
    private final double separation;

    /** Weights at or below this leave their eigenvalue in place (the shift is below rounding). */
    private final double negligible;

    /**
     * Roots are resolved to this absolute accuracy, far below the noise floor of {@code
     * 1e-12·λ_max}.
     */
    private final double accuracy;

    private final double[] poles;
    private final double[] weights;

    Downdate(double[] lambda) {
      this.lambda = lambda;
      double largest = lambda.length == 0 ? 0 : lambda[0];
      this.separation = 1e-14 * largest;
      this.negligible = 1e-16 * largest;
      this.accuracy = 1e-15 * largest;
      this.poles = new double[lambda.length];
      this.weights = new double[lambda.length];
    }

    void eigenvalues(double[] z2, int offset, double[] out) {
      int m = lambda.length;
      int r = 0;
      int outCount = 0;
      for (int k = 0; k < m; k++) {
        double w = z2[offset + k];
        if (w <= negligible) {
          out[outCount++] = lambda[k];
        } else if (r > 0 && poles[r - 1] - lambda[k] <= separation) {
          // a repeated pole: rotating the pair leaves one eigenvalue exactly at the pole
          weights[r - 1] += w;
          out[outCount++] = lambda[k];
        } else {
          poles[r] = lambda[k];
          weights[r] = w;
          r++;
        }
      }
      double totalWeight = 0;
      for (int k = 0; k < r; k++) {
        totalWeight += weights[k];
      }
      for (int j = 0; j < r; j++) {
        double hi = poles[j];
        double lo = j + 1 < r ? poles[j + 1] : poles[j] - totalWeight;
        out[outCount++] = Math.max(0, root(r, j, lo, hi));
      }
    }

    /**
     * The root in {@code (lo, hi)}, {@code hi = d_j}. Each step models the poles above and below
     * separately as {@code a + b/(d − μ)} matched in value and slope at the current point (the
     * two-pole rational model of Bunch, Nielsen &amp; Sorensen, Numer. Math. 31, 1978) and solves
     * the resulting quadratic; a step that leaves the bracket falls back to bisection.
     */
    private double root(int r, int j, double lo, double hi) {
      double above = poles[j];
      boolean hasBelow = j + 1 < r;
      double below = hasBelow ? poles[j + 1] : lo;
      double mu = 0.5 * (lo + hi);
      for (int iteration = 0; iteration < MAX_ITERATIONS && hi - lo > accuracy; iteration++) {
        double psiAbove = 0;
        double slopeAbove = 0;
        double psiBelow = 0;
        double slopeBelow = 0;
        // poles above and below the bracket feed separate halves of the model
        for (int k = 0; k <= j; k++) {
          double inverse = 1 / (poles[k] - mu);
          double term = weights[k] * inverse;
          psiAbove += term;
          slopeAbove += term * inverse;
        }
        for (int k = j + 1; k < r; k++) {
          double inverse = 1 / (poles[k] - mu);
          double term = weights[k] * inverse;
          psiBelow += term;
          slopeBelow += term * inverse;
        }
        double f = 1 - psiAbove - psiBelow;
        if (Math.abs(f) <= 1e-13 * (1 + psiAbove - psiBelow)) {
          return mu; // f is zero to rounding: no step can improve mu
        }
        if (f > 0) {
          lo = mu;
        } else {
          hi = mu;
        }
        double next = model(mu, above, below, hasBelow, psiAbove, slopeAbove, psiBelow, slopeBelow);
        if (!(next > lo && next < hi)) {
          next = 0.5 * (lo + hi);
        }
        if (Math.abs(next - mu) <= accuracy) {
          return next;
        }
        mu = next;
      }
      return mu;
    }

    /** Root of {@code 1 − (a1 + b1/(above − y)) − (a2 + b2/(below − y))}, or NaN. */
    private static double model(
        double x,
        double above,
        double below,
        boolean hasBelow,
        double psiAbove,
        double slopeAbove,
        double psiBelow,
        double slopeBelow) {
      double b1 = slopeAbove * (above - x) * (above - x);
      double a1 = psiAbove - b1 / (above - x);
      if (!hasBelow) {
        double c = 1 - a1 - psiBelow;
        return c > 0 ? above - b1 / c : Double.NaN;
      }
      double b2 = slopeBelow * (below - x) * (below - x);
      double a2 = psiBelow - b2 / (below - x);
      double c = 1 - a1 - a2;
      double gap = above - below;
      // with y = below + τ: c·τ² + (b1 + b2 − c·gap)·τ − b2·gap = 0, root τ ∈ (0, gap)
      double qa = c;
      double qb = b1 + b2 - c * gap;
      double qc = -b2 * gap;
      double tau;
      if (Math.abs(qa) * gap <= 1e-300 + 1e-14 * Math.abs(qb)) {
        tau = -qc / qb;
      } else {
        double discriminant = qb * qb - 4 * qa * qc;
        if (discriminant < 0) {
          return Double.NaN;
        }
        double q = -0.5 * (qb + Math.copySign(Math.sqrt(discriminant), qb));
        double t1 = q / qa;
        double t2 = q == 0 ? Double.NaN : qc / q;
        tau = t1 > 0 && t1 < gap ? t1 : t2;
      }
      return below + tau;
    }
  }

  /** Exact drop per column: the effective rank recomputed without each column in turn. */
  static double[] exactDrops(double[] a, int fanIn, int n) {
    double[] lambda = SymmetricEigen.of(smallerGram(a, fanIn, n), Math.min(fanIn, n)).values();
    double floor = noiseFloor(lambda);
    double base = fromEigenvalues(lambda, floor);
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
      drops[i] = base - of(without, fanIn, n - 1, floor);
    }
    return drops;
  }
}
