package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pins the merge kernels, which are shaped for the JIT's vectoriser (co-moments held per anchor,
 * min and max in loops of their own), to the plain one-loop kernels they replaced: the same values
 * bit for bit, not merely within a tolerance, because every element gets the same floating-point
 * operations in the same order. The reference kernels below are those plain loops over the
 * row-major {@code [neurons, k]} co-moments of the wire format. Arrays are compared with {@code
 * isEqualTo}, i.e. {@link java.util.Arrays#equals(double[], double[])}: bit patterns, not a
 * tolerance.
 */
class MergeKernelsTest {

  /** A co-activation summary in the row-major layout, updated by the reference kernels. */
  private static final class RowMajorCoActivation {
    final int n;
    final int[] anchors;
    long count;
    final double[] mean;
    final double[] m2;
    final double[] comoment;

    RowMajorCoActivation(int n, int[] anchors) {
      this.n = n;
      this.anchors = anchors;
      this.mean = new double[n];
      this.m2 = new double[n];
      this.comoment = new double[n * anchors.length];
    }

    /** One batch: its own mean, M2 and co-moments, neuron by neuron, then combined. */
    void addRows(double[] block) {
      int rows = block.length / n;
      int k = anchors.length;
      double[] bMean = new double[n];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++) {
          bMean[i] += block[r * n + i];
        }
      }
      for (int i = 0; i < n; i++) {
        bMean[i] /= rows;
      }
      double[] bM2 = new double[n];
      double[] bCo = new double[n * k];
      double[] deviation = new double[n];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++) {
          deviation[i] = block[r * n + i] - bMean[i];
          bM2[i] += deviation[i] * deviation[i];
        }
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < k; a++) {
            bCo[i * k + a] += deviation[i] * deviation[anchors[a]];
          }
        }
      }
      combine(rows, bMean, bM2, bCo);
    }

    /** Chan et al. with co-moments, one neuron (a row of k co-moments) at a time. */
    void combine(long nb, double[] meanB, double[] m2B, double[] coB) {
      if (nb == 0) {
        return;
      }
      if (count == 0) {
        System.arraycopy(meanB, 0, mean, 0, n);
        System.arraycopy(m2B, 0, m2, 0, n);
        System.arraycopy(coB, 0, comoment, 0, comoment.length);
        count = nb;
        return;
      }
      int k = anchors.length;
      double total = (double) count + nb;
      double towardsB = nb / total;
      double cross = (double) count * nb / total;
      double[] anchorDelta = new double[k];
      for (int a = 0; a < k; a++) {
        anchorDelta[a] = (meanB[anchors[a]] - mean[anchors[a]]) * cross;
      }
      for (int i = 0; i < n; i++) {
        double delta = meanB[i] - mean[i];
        for (int a = 0; a < k; a++) {
          comoment[i * k + a] += coB[i * k + a] + delta * anchorDelta[a];
        }
        m2[i] += m2B[i] + delta * delta * cross;
        mean[i] += delta * towardsB;
      }
      count += nb;
    }
  }

  private static void assertSameBits(CoActivation actual, RowMajorCoActivation expected) {
    assertThat(actual.count()).isEqualTo(expected.count);
    assertThat(actual.meanArray()).isEqualTo(expected.mean);
    assertThat(actual.m2Array()).isEqualTo(expected.m2);
    assertThat(actual.comomentArray()).isEqualTo(expected.comoment);
  }

  /** The per-element accessor reads the same co-moment as the row-major array. */
  private static void assertAccessorMatches(CoActivation actual, RowMajorCoActivation expected) {
    int k = expected.anchors.length;
    double[] read = new double[expected.n * k];
    for (int i = 0; i < expected.n; i++) {
      for (int a = 0; a < k; a++) {
        read[i * k + a] = actual.comoment(i, a);
      }
    }
    assertThat(read).isEqualTo(expected.comoment);
  }

  @Test
  void coActivationBatchesAndMergesEqualTheRowMajorKernelsBitForBit() {
    Random random = new Random(17);
    int[][] shapes = {{13, 5}, {40, 40}, {7, 1}, {300, 32}};
    for (int[] shape : shapes) {
      int n = shape[0];
      int k = shape[1];
      CoActivation merged = new CoActivation(n, k, 9);
      RowMajorCoActivation reference = new RowMajorCoActivation(n, merged.anchorArray());
      for (int window = 0; window < 12; window++) {
        int rows = 1 + random.nextInt(40);
        double offset = 3 * random.nextGaussian();
        double[] data = Data.rows(random, rows, n, offset, 0.5 + random.nextDouble());
        CoActivation piece = new CoActivation(n, k, 9);
        piece.addRows(data);
        RowMajorCoActivation pieceReference = new RowMajorCoActivation(n, merged.anchorArray());
        pieceReference.addRows(data);
        assertSameBits(piece, pieceReference);

        CoActivation restored =
            CoActivation.of(
                piece.count(),
                piece.anchorArray(),
                piece.meanArray(),
                piece.m2Array(),
                piece.comomentArray());
        merged.merge(restored);
        reference.combine(
            pieceReference.count, pieceReference.mean, pieceReference.m2, pieceReference.comoment);
        assertSameBits(merged, reference);
      }
      assertAccessorMatches(merged, reference);
    }
  }

  /** The one-loop merge of per-neuron moments; returns {mean, m2, min, max} after the merge. */
  private static double[][] oneLoopMerge(Moments into, Moments other) {
    double[] mean = into.meanArray();
    double[] m2 = into.m2Array();
    double[] min = into.minArray();
    double[] max = into.maxArray();
    double[] meanB = other.meanArray();
    double[] m2B = other.m2Array();
    double[] minB = other.minArray();
    double[] maxB = other.maxArray();
    long na = into.count();
    long nb = other.count();
    double total = (double) na + nb;
    double towardsB = nb / total;
    double cross = (double) na * nb / total;
    for (int i = 0; i < mean.length; i++) {
      double delta = meanB[i] - mean[i];
      mean[i] += delta * towardsB;
      m2[i] += m2B[i] + delta * delta * cross;
      min[i] = Math.min(min[i], minB[i]);
      max[i] = Math.max(max[i], maxB[i]);
    }
    return new double[][] {mean, m2, min, max};
  }

  @Test
  void momentsMergesEqualTheOneLoopKernelBitForBit() {
    Random random = new Random(23);
    int n = 517;
    Moments merged = new Moments(n);
    merged.addRows(Data.rows(random, 30, n, 0, 1));
    for (int window = 0; window < 20; window++) {
      Moments piece = new Moments(n);
      int rows = 1 + random.nextInt(50);
      piece.addRows(Data.rows(random, rows, n, random.nextGaussian(), 2 * random.nextDouble()));
      double[][] expected = oneLoopMerge(merged, piece);
      long count = merged.count() + piece.count();
      merged.merge(piece);
      assertThat(merged.count()).isEqualTo(count);
      assertThat(merged.meanArray()).isEqualTo(expected[0]);
      assertThat(merged.m2Array()).isEqualTo(expected[1]);
      assertThat(merged.minArray()).isEqualTo(expected[2]);
      assertThat(merged.maxArray()).isEqualTo(expected[3]);
    }
  }
}
