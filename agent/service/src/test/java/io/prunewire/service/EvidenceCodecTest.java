package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvidenceCodecTest {

  private static LayerEvidence evidence(boolean withAll) {
    SimulatedTrainer t = new SimulatedTrainer("r", "t", 1, 9);
    LayerEvidence e = new LayerEvidence("h1.rnn", 9);
    for (long step : new long[] {10, 20}) {
      for (Event ev : t.summaries(step)) {
        if (ev instanceof ActivationSummaryEvent a && a.layer().equals("h1.rnn")) {
          e.merge(a.summary());
        } else if (withAll && ev instanceof GradientSummaryEvent g && g.layer().equals("h1.rnn")) {
          e.merge(g.summary());
        } else if (withAll && ev instanceof CurvatureEvent c && c.layer().equals("h1.rnn")) {
          e.merge(c.summary());
        } else if (withAll && ev instanceof WeightStatisticsEvent w && w.layer().equals("h1.rnn")) {
          e.update(step, w.statistics());
        }
      }
    }
    return e;
  }

  @Test
  void roundTripKeepsEveryAccumulatorBitForBit() {
    for (boolean all : new boolean[] {false, true}) {
      LayerEvidence e = evidence(all);
      byte[] bytes = EvidenceCodec.encode(e);
      LayerEvidence back = EvidenceCodec.decode(bytes);
      assertThat(EvidenceCodec.encode(back)).isEqualTo(bytes);
      assertThat(back.layer()).isEqualTo("h1.rnn");
      assertThat(back.neurons()).isEqualTo(9);
      assertThat(back.activation().get().value().meanArray())
          .containsExactly(e.activation().get().value().meanArray());
      assertThat(back.activation().get().coActivation().comomentArray())
          .containsExactly(e.activation().get().coActivation().comomentArray());
      assertThat(back.gradient().isPresent()).isEqualTo(all);
      assertThat(back.curvature().isPresent()).isEqualTo(all);
      assertThat(back.weights().isPresent()).isEqualTo(all);
      if (all) {
        assertThat(back.weightsStep()).isEqualTo(20);
        assertThat(back.gradient().get().gate().meanArray())
            .containsExactly(e.gradient().get().gate().meanArray());
        assertThat(back.curvature().get().vHv().m2Array())
            .containsExactly(e.curvature().get().vHv().m2Array());
        assertThat(back.weights().get().effectiveRankDrop())
            .containsExactly(e.weights().get().effectiveRankDrop());
      }
    }
  }

  @Test
  void emptyEvidenceRoundTrips() {
    LayerEvidence back = EvidenceCodec.decode(EvidenceCodec.encode(new LayerEvidence("x", 3)));
    assertThat(back.activation()).isEmpty();
    assertThat(back.neurons()).isEqualTo(3);
  }

  @Test
  void truncatedValueFailsNamingTheStore() {
    byte[] bytes = EvidenceCodec.encode(evidence(true));
    assertThatThrownBy(() -> EvidenceCodec.decode(Arrays.copyOf(bytes, bytes.length / 2)))
        .hasMessageContaining("evidence store");
  }
}
