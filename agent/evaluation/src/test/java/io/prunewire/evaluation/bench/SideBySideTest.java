package io.prunewire.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void theRatioIsTakenWithinEachRoundSoLoadThatChangesBetweenRoundsCancels() {
    SideBySide s = new SideBySide("a");
    double[] load = {1, 3, 10, 2, 5};
    for (double l : load) {
      s.add("row", "a", 100 * l);
      s.add("row", "b", 150 * l);
    }

    assertThat(s.medianRatio("row", "b")).isEqualTo(1.5);
    assertThat(s.median("row", "a")).isEqualTo(300);
    assertThat(s.median("row", "b")).isEqualTo(450);
  }

  @Test
  void oneRoundSlowedByANeighbourDoesNotTipTheRatio() {
    SideBySide s = new SideBySide("a");
    s.add("row", "a", 10);
    s.add("row", "b", 20);
    s.add("row", "a", 10);
    s.add("row", "b", 200); // a neighbour's burst during b's fork
    s.add("row", "a", 10);
    s.add("row", "b", 20);

    assertThat(s.medianRatio("row", "b")).isEqualTo(2);
    assertThat(s.rounds("row", "b")).containsExactly(20.0, 200.0, 20.0);
    assertThat(s.rows()).containsExactly("row");
  }
}
