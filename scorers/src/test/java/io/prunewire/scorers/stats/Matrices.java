package io.prunewire.scorers.stats;

import java.util.Random;

/** Test matrices with known spectra. */
final class Matrices {
  private Matrices() {}

  /** A random {@code [m, m]} orthogonal matrix (Gram–Schmidt of a Gaussian matrix), row-major. */
  static double[] orthogonal(Random random, int m) {
    double[] q = new double[m * m];
    for (int k = 0; k < m; k++) {
      double[] v = new double[m];
      for (int j = 0; j < m; j++) {
        v[j] = random.nextGaussian();
      }
      for (int p = 0; p < k; p++) {
        double dot = 0;
        for (int j = 0; j < m; j++) {
          dot += v[j] * q[j * m + p];
        }
        for (int j = 0; j < m; j++) {
          v[j] -= dot * q[j * m + p];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        q[j * m + k] = v[j] / norm;
      }
    }
    return q;
  }

  /** {@code U·diag(σ)·Vᵀ} of shape {@code [rows, cols]} with the given singular values. */
  static double[] withSingularValues(Random random, int rows, int cols, double[] sigma) {
    double[] u = orthogonal(random, rows);
    double[] v = orthogonal(random, cols);
    double[] a = new double[rows * cols];
    for (int j = 0; j < rows; j++) {
      for (int i = 0; i < cols; i++) {
        double s = 0;
        for (int k = 0; k < sigma.length; k++) {
          s += u[j * rows + k] * sigma[k] * v[i * cols + k];
        }
        a[j * cols + i] = s;
      }
    }
    return a;
  }

  /** Roy & Vetterli effective rank computed directly from singular values. */
  static double effectiveRank(double[] sigma) {
    double sum = 0;
    for (double s : sigma) {
      sum += s;
    }
    double h = 0;
    for (double s : sigma) {
      if (s > 0) {
        h -= s / sum * Math.log(s / sum);
      }
    }
    return Math.exp(h);
  }

  static double spearman(double[] x, double[] y) {
    double[] rx = ranks(x);
    double[] ry = ranks(y);
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += rx[i] / x.length;
      my += ry[i] / x.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (rx[i] - mx) * (ry[i] - my);
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static double[] ranks(double[] x) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double below = 0;
      double equal = 0;
      for (double y : x) {
        below += y < x[i] ? 1 : 0;
        equal += y == x[i] ? 1 : 0;
      }
      r[i] = below + (equal - 1) / 2;
    }
    return r;
  }
}
