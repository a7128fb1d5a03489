package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Analytic BPTT gradients of the RNN half against central finite differences, in double precision.
 */
class SigmoidRecurrenceTest {
  private static final int BATCH = 3;
  private static final int IN = 4;
  private static final int N = 5;
  private static final int TIME = 6;
  private static final double EPS = 1e-6;

  private final Random random = new Random(11);
  private final SigmoidRecurrence rnn = new SigmoidRecurrence();
  private final INDArray x = randn(BATCH, IN, TIME);
  private final INDArray wFc = randn(IN, N);
  private final INDArray wFv = randn(N, N);
  private final INDArray h0 = randn(BATCH, N).muli(0.5);

  /** Loss L = Σ c ⊙ h, so ∂L/∂h = c. */
  private final INDArray c = randn(BATCH, N, TIME);

  @Test
  void gradientsMatchFiniteDifferences() {
    double[] h = rnn.forward(TimeMajor.rows(x), wFc, wFv, TimeMajor.values(h0), BATCH);
    INDArray gradFc = Nd4j.zeros(DataType.DOUBLE, IN, N).dup('f');
    INDArray gradFv = Nd4j.zeros(DataType.DOUBLE, N, N).dup('f');
    INDArray epsXRows = Nd4j.zeros(DataType.DOUBLE, TIME * BATCH, IN);
    rnn.backward(
        TimeMajor.rows(x),
        wFc,
        wFv,
        TimeMajor.values(h0),
        h,
        TimeMajor.values(TimeMajor.rows(c)),
        gradFc,
        gradFv,
        epsXRows,
        BATCH,
        -1);
    // 'f' like x: the finite differences walk both by the same linear index
    INDArray epsX = TimeMajor.ncw(epsXRows, BATCH).dup('f');

    assertMatchesFiniteDifferences(gradFc, wFc);
    assertMatchesFiniteDifferences(gradFv, wFv);
    assertMatchesFiniteDifferences(epsX, x);
  }

  @Test
  void carriedStateEntersTheFirstStep() {
    INDArray fromZero = states(null);
    INDArray fromH0 = states(h0);
    double first =
        fromZero
            .get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0))
            .distance1(
                fromH0.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
    assertThat(first).isGreaterThan(1e-3);
    // h_0 = sigmoid(x_0 W_fc + h0 W_fv), computed by hand for one element
    double z = 0;
    for (int i = 0; i < IN; i++) {
      z += x.getDouble(1, i, 0) * wFc.getDouble(i, 2);
    }
    for (int j = 0; j < N; j++) {
      z += h0.getDouble(1, j) * wFv.getDouble(j, 2);
    }
    assertThat(fromH0.getDouble(1, 2, 0)).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
  }

  private void assertMatchesFiniteDifferences(INDArray analytic, INDArray param) {
    for (long k = 0; k < param.length(); k++) {
      double saved = param.getDouble(k);
      param.putScalar(k, saved + EPS);
      double plus = loss();
      param.putScalar(k, saved - EPS);
      double minus = loss();
      param.putScalar(k, saved);
      double numeric = (plus - minus) / (2 * EPS);
      assertThat(analytic.getDouble(k))
          .as("element %d", k)
          .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
    }
  }

  private double loss() {
    return states(h0).mul(c).sumNumber().doubleValue();
  }

  /** Hidden states {@code [batch, n, time]} from initial state {@code initial} (nullable). */
  private INDArray states(INDArray initial) {
    double[] h =
        rnn.forward(
            TimeMajor.rows(x), wFc, wFv, initial == null ? null : TimeMajor.values(initial), BATCH);
    return TimeMajor.ncw(TimeMajor.matrix(h, TIME * BATCH, N, DataType.DOUBLE), BATCH);
  }

  private INDArray randn(long... shape) {
    INDArray a = Nd4j.zeros(DataType.DOUBLE, shape).dup('f');
    for (long k = 0; k < a.length(); k++) {
      a.putScalar(k, random.nextGaussian());
    }
    return a;
  }
}
