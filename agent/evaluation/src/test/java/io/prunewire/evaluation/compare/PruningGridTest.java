package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruningGridTest {

  private static CompareResult withPruning(
      List<Double> fractions, List<CompareResult.Pruning> rows) {
    CompareResult.Model model = new CompareResult.Model("m", 4, 2, 2, 8, 100, 1, 50, true, 0, "d");
    return new CompareResult(
        Map.of(),
        fractions,
        model,
        List.of(),
        new CompareResult.Oracle(1, 10, 3.0, false, List.of(), List.of()),
        List.of(),
        rows,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  @Test
  void gridHoldsEachScorersPerplexityPerFraction() {
    PruningGrid g =
        PruningGrid.of(
            withPruning(
                List.of(0.25, 0.5),
                List.of(
                    new CompareResult.Pruning("hap", "criterion", 0.5, 4, 80.0, 70.0),
                    new CompareResult.Pruning("learned", "fusion", 0.25, 2, 60.0, null),
                    new CompareResult.Pruning("hap", "criterion", 0.25, 2, 65.0, null),
                    new CompareResult.Pruning("learned", "fusion", 0.5, 5, 75.0, null))));
    assertThat(g.scorers()).containsExactly("hap", "learned");
    assertThat(g.perplexity("hap", 0, false)).isEqualTo(65.0);
    assertThat(g.perplexity("hap", 1, true)).isEqualTo(70.0);
    assertThat(g.perplexity("learned", 1, true)).isNull();
    assertThat(g.perplexity("absent", 1, false)).isNull();
    assertThat(g.fineTunedScorers()).containsExactly("hap");
    assertThat(g.removed(0)).isEqualTo(2);
    assertThat(g.removed(1)).as("hap removed 4, learned 5").isNull();
    assertThat(g.nearest(0.45)).isEqualTo(1);
    assertThat(g.nearest(0.3)).isEqualTo(0);
  }

  @Test
  void aPairMeasuredTwiceIsRejected() {
    CompareResult r =
        withPruning(
            List.of(0.5),
            List.of(
                new CompareResult.Pruning("hap", "criterion", 0.5, 4, 80, null),
                new CompareResult.Pruning("hap", "criterion", 0.5, 4, 81, null)));
    assertThatThrownBy(() -> PruningGrid.of(r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pruning[1]: scorer hap at fraction 0.5 occurs twice");
  }
}
