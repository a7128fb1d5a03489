package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.fusion.OutcomeFusion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeStateTest {

  private static OutcomeState measuring() {
    OutcomeState s = new OutcomeState();
    s.measuringTrainers.add("t0");
    s.fusion = OutcomeFusion.restore(List.of("magnitude"), Map.of(), 0, 0);
    s.round =
        OutcomeState.Round.open(
            "c1",
            0,
            5L,
            false,
            7L,
            List.of("t0"),
            List.of(
                new OutcomeFusion.Proposal("incumbent", List.of("magnitude")),
                new OutcomeFusion.Proposal("every", List.of())),
            List.of(Map.of("h1", new int[] {1, 2}), Map.of("h1", new int[] {3})));
    s.round.deltaLoss()[0] = 0.25;
    s.round.stdErr()[0] = 0.01;
    return s;
  }

  @Test
  void anOpenRoundKeepsItsOutcomesAndTheirStandardErrors() {
    OutcomeState back = OutcomeState.decode(measuring().encode());

    assertThat(back.fusion.chosen()).containsExactly("magnitude");
    assertThat(back.round.deltaLoss()).containsExactly(0.25, Double.NaN);
    assertThat(back.round.stdErr()).containsExactly(0.01, Double.NaN);
    assertThat(back.round.removed().get(0).get("h1")).containsExactly(1, 2);
  }

  @Test
  void aStateWrittenBeforeStandardErrorsReadsThemAsUnknown() {
    byte[] current = measuring().encode();
    // format 1 is format 2 without the trailing standard errors (int count + 2 doubles)
    byte[] format1 = java.util.Arrays.copyOf(current, current.length - 4 - 2 * 8);
    format1[0] = 1;

    OutcomeState back = OutcomeState.decode(format1);

    assertThat(back.round.deltaLoss()).containsExactly(0.25, Double.NaN);
    assertThat(back.round.stdErr()).containsExactly(Double.NaN, Double.NaN);
  }
}
