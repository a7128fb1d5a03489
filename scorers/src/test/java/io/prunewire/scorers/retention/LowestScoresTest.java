package io.prunewire.scorers.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LowestScoresTest {

  @Test
  void takesTheLowestScoresAmongTheAliveOnly() {
    double[] scores = {0.5, 0.1, 0.9, 0.05, 0.3, 0.7};
    boolean[] alive = {true, true, true, false, true, true};
    // 5 alive, round(0.4 * 5) = 2: neuron 3 (0.05) is pruned already, so 1 (0.1) and 4 (0.3)
    assertThat(LowestScores.ofAlive(scores, alive, 0.4)).containsExactly(1, 4);
  }

  @Test
  void equalScoresAreTakenInIndexOrder() {
    double[] scores = {1, 0, 0, 0, 1};
    boolean[] alive = {true, true, true, true, true};
    assertThat(LowestScores.ofAlive(scores, alive, 0.4)).containsExactly(1, 2);
  }

  @Test
  void matchesSortingEveryAliveNeuronByScore() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(40);
      double[] scores = random.doubles(n).map(v -> Math.floor(v * 8)).toArray();
      boolean[] alive = new boolean[n];
      for (int i = 0; i < n; i++) {
        alive[i] = random.nextDouble() < 0.7;
      }
      double fraction = random.nextDouble();
      int live = (int) IntStream.range(0, n).filter(i -> alive[i]).count();
      int[] expected =
          IntStream.range(0, n)
              .filter(i -> alive[i])
              .boxed()
              .sorted(
                  (a, b) -> scores[a] != scores[b] ? Double.compare(scores[a], scores[b]) : a - b)
              .limit(Math.round(fraction * live))
              .mapToInt(Integer::intValue)
              .sorted()
              .toArray();
      assertThat(LowestScores.ofAlive(scores, alive, fraction))
          .as("trial %d: %s", trial, Arrays.toString(scores))
          .containsExactly(expected);
    }
  }

  @Test
  void refusesMismatchedLengthsAndFractionsOutsideTheUnitInterval() {
    assertThatThrownBy(() -> LowestScores.ofAlive(new double[3], new boolean[2], 0.5))
        .hasMessageContaining("scores has 3 neurons, alive 2");
    assertThatThrownBy(() -> LowestScores.ofAlive(new double[2], new boolean[2], 1.5))
        .hasMessageContaining("fraction must be in [0, 1], got 1.5");
  }
}
