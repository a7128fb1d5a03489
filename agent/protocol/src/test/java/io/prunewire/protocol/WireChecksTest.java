package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.scorers.stats.Moments;
import org.junit.jupiter.api.Test;

class WireChecksTest {

  @Test
  void aSummaryThatBuildsIsReturnedAsBuilt() {
    Moments m =
        Moments.of(3, new double[] {1}, new double[] {0}, new double[] {0}, new double[] {2});
    assertThat(WireChecks.consistent("f", () -> m)).isSameAs(m);
  }

  @Test
  void whatTheConstructorRejectsIsInconsistentNamingTheField() {
    assertThatThrownBy(
            () ->
                WireChecks.consistent(
                    "Curvature.vHv",
                    () ->
                        Moments.of(
                            3,
                            new double[] {1},
                            new double[] {0},
                            new double[] {2},
                            new double[] {1})))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectReason.INCONSISTENT);
              assertThat(e.getMessage()).startsWith("inconsistent: Curvature.vHv: ");
            });
  }

  @Test
  void anEarlierRejectionKeepsItsOwnReason() {
    InvalidEventException inner =
        new InvalidEventException(RejectReason.NEGATIVE_COUNT, "x.count: must be >= 0, was -1");
    assertThatThrownBy(
            () ->
                WireChecks.consistent(
                    "x",
                    () -> {
                      throw inner;
                    }))
        .isSameAs(inner);
  }

  @Test
  void otherFailuresAreNotTurnedIntoRejections() {
    assertThatThrownBy(
            () ->
                WireChecks.consistent(
                    "x",
                    () -> {
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("bug");
  }

  @Test
  void nonFiniteNamesTheFieldAndTheValue() {
    InvalidEventException e = WireChecks.nonFinite("Moments.mean[2]", Float.NaN);
    assertThat(e.reason()).isEqualTo(RejectReason.NON_FINITE);
    assertThat(e.getMessage()).isEqualTo("non_finite: Moments.mean[2]: must be finite, was NaN");
    assertThat(WireChecks.nonFinite("lo", Double.NEGATIVE_INFINITY))
        .hasMessageEndingWith("was -Infinity");
  }
}
