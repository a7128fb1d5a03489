package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CellsTest {

  @Test
  void wholePercentagesPrintWithoutDecimalsDespiteRounding() {
    for (int p = 0; p <= 100; p++) {
      assertThat(Cells.percent(p / 100.0)).isEqualTo(p + " %");
    }
    assertThat(Cells.percent(0.125)).isEqualTo("12.5 %");
  }

  @Test
  void missingNumbersPrintAsNa() {
    assertThat(Cells.ppl(null)).isEqualTo("n/a");
    assertThat(Cells.rho(Double.NaN)).isEqualTo("n/a");
    assertThat(Cells.loss(null)).isEqualTo("n/a");
    assertThat(Cells.ppl(Double.POSITIVE_INFINITY)).isEqualTo("∞");
    assertThat(Cells.loss(0.0)).isEqualTo("0");
    assertThat(Cells.loss(0.000123456)).isEqualTo("0.0001235");
  }

  @Test
  void bestIgnoresMissingValues() {
    assertThat(Cells.best(Arrays.asList(3.0, null, Double.NaN, 1.5, 2.0), true)).isEqualTo(1.5);
    assertThat(Cells.best(Arrays.asList(3.0, null, 1.5), false)).isEqualTo(3.0);
    assertThat(Cells.best(Arrays.asList(null, Double.NaN), true)).isNaN();
    assertThat(Cells.boldIfBest("1.50", 1.5, 1.5)).isEqualTo("**1.50**");
    assertThat(Cells.boldIfBest("n/a", null, Double.NaN)).isEqualTo("n/a");
  }
}
