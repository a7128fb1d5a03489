package io.prunewire.scorers.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded test data and brute-force helpers. */
final class Data {
  private Data() {}

  /** Row-major {@code [rows, n]} values {@code offset + scale·N(0,1)}, some exactly zero. */
  static double[] rows(Random random, int rows, int n, double offset, double scale) {
    double[] x = new double[rows * n];
    for (int j = 0; j < x.length; j++) {
      x[j] = random.nextInt(7) == 0 ? 0 : offset + scale * random.nextGaussian();
    }
    return x;
  }

  static double[] slice(double[] rows, int n, int fromRow, int toRow) {
    double[] out = new double[(toRow - fromRow) * n];
    System.arraycopy(rows, fromRow * n, out, 0, out.length);
    return out;
  }

  /** Random cut points splitting {@code rows} rows into 1..maxParts non-empty parts, shuffled. */
  static List<int[]> randomParts(Random random, int rows, int maxParts) {
    int parts = 1 + random.nextInt(Math.min(maxParts, rows));
    List<Integer> cuts = new ArrayList<>();
    for (int r = 1; r < rows; r++) {
      cuts.add(r);
    }
    Collections.shuffle(cuts, random);
    List<Integer> chosen = new ArrayList<>(cuts.subList(0, parts - 1));
    chosen.add(0);
    chosen.add(rows);
    Collections.sort(chosen);
    List<int[]> ranges = new ArrayList<>();
    for (int p = 0; p + 1 < chosen.size(); p++) {
      ranges.add(new int[] {chosen.get(p), chosen.get(p + 1)});
    }
    Collections.shuffle(ranges, random);
    return ranges;
  }

  static double column(double[] rows, int n, int row, int neuron) {
    return rows[row * n + neuron];
  }

  static double mean(double[] rows, int n, int neuron) {
    int count = rows.length / n;
    double s = 0;
    for (int r = 0; r < count; r++) {
      s += rows[r * n + neuron];
    }
    return s / count;
  }

  static double variance(double[] rows, int n, int neuron) {
    int count = rows.length / n;
    double m = mean(rows, n, neuron);
    double s = 0;
    for (int r = 0; r < count; r++) {
      double d = rows[r * n + neuron] - m;
      s += d * d;
    }
    return s / count;
  }

  static boolean constant(double[] rows, int n, int neuron) {
    for (int r = 1; r < rows.length / n; r++) {
      if (rows[r * n + neuron] != rows[neuron]) {
        return false;
      }
    }
    return true;
  }

  /** Exact Pearson correlation of neurons p and q over all rows; 0 if either is constant. */
  static double pearson(double[] rows, int n, int p, int q) {
    if (constant(rows, n, p) || constant(rows, n, q)) {
      return 0;
    }
    int count = rows.length / n;
    double mp = mean(rows, n, p);
    double mq = mean(rows, n, q);
    double spq = 0;
    double spp = 0;
    double sqq = 0;
    for (int r = 0; r < count; r++) {
      double dp = rows[r * n + p] - mp;
      double dq = rows[r * n + q] - mq;
      spq += dp * dq;
      spp += dp * dp;
      sqq += dq * dq;
    }
    return spq / Math.sqrt(spp * sqq);
  }

  /** Relative closeness with an absolute floor for values near zero. */
  static boolean close(double expected, double actual, double relative) {
    return Math.abs(expected - actual) <= relative * Math.max(1, Math.abs(expected));
  }
}
