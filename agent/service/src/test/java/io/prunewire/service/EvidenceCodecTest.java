package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvidenceCodecTest {

  /** Evidence of layer h1.rnn after two steps of every summary. */
  private static LayerEvidence evidence() {
    SimulatedTrainer t = new SimulatedTrainer("r", "t", 1, 9);
    LayerEvidence e = new LayerEvidence("h1.rnn", 9);
    for (long step : new long[] {10, 20}) {
      for (Event ev : t.summaries(step)) {
        if (ev instanceof ActivationSummaryEvent a && a.layer().equals("h1.rnn")) {
          e.merge(a.summary());
        } else if (ev instanceof GradientSummaryEvent g && g.layer().equals("h1.rnn")) {
          e.merge(g.summary());
        } else if (ev instanceof CurvatureEvent c && c.layer().equals("h1.rnn")) {
          e.merge(c.summary());
        } else if (ev instanceof WeightStatisticsEvent w && w.layer().equals("h1.rnn")) {
          e.update(step, w.statistics());
        }
      }
    }
    return e;
  }

  @Test
  void everyPartRoundTripsBitForBit() {
    LayerEvidence e = evidence();
    ActivationSummary a = e.activation().orElseThrow();
    byte[] ab = only(EvidenceCodec.activation(a));
    ActivationSummary a2 = EvidenceCodec.activation(ab);
    assertThat(only(EvidenceCodec.activation(a2))).isEqualTo(ab);
    assertThat(a2.value().meanArray()).containsExactly(a.value().meanArray());
    assertThat(a2.coActivation().comomentArray()).containsExactly(a.coActivation().comomentArray());
    assertThat(a2.histogram().countArray()).containsExactly(a.histogram().countArray());

    GradientSummary g = e.gradient().orElseThrow();
    byte[] gb = only(EvidenceCodec.gradient(g));
    GradientSummary g2 = EvidenceCodec.gradient(gb);
    assertThat(only(EvidenceCodec.gradient(g2))).isEqualTo(gb);
    assertThat(g2.gate().meanArray()).containsExactly(g.gate().meanArray());
    assertThat(g2.sign().positiveArray()).containsExactly(g.sign().positiveArray());

    CurvatureSummary c = e.curvature().orElseThrow();
    CurvatureSummary c2 = EvidenceCodec.curvature(only(EvidenceCodec.curvature(c)));
    assertThat(c2.vHv().m2Array()).containsExactly(c.vHv().m2Array());
    assertThat(c2.vHv().count()).isEqualTo(c.vHv().count());

    byte[] wb = only(EvidenceCodec.weights(e.weightsStep(), e.weights().orElseThrow()));
    EvidenceCodec.WeightSnapshot w2 = EvidenceCodec.weights(wb);
    assertThat(w2.step()).isEqualTo(20);
    assertThat(w2.statistics().effectiveRankDrop())
        .containsExactly(e.weights().orElseThrow().effectiveRankDrop());
    assertThat(only(EvidenceCodec.weights(w2.step(), w2.statistics()))).isEqualTo(wb);
  }

  @Test
  void truncatedOrForeignValuesFailNamingTheStoreAndPart() {
    byte[] bytes = only(EvidenceCodec.activation(evidence().activation().orElseThrow()));
    assertThatThrownBy(() -> EvidenceCodec.activation(Arrays.copyOf(bytes, bytes.length / 2)))
        .hasMessageContaining("evidence store (activation)");
    byte[] curvature = only(EvidenceCodec.curvature(evidence().curvature().orElseThrow()));
    assertThatThrownBy(() -> EvidenceCodec.gradient(curvature))
        .hasMessageContaining("evidence store (gradient)");
  }

  /**
   * The encoders write straight from the summaries into a buffer of the exact size; the bytes are
   * those of the earlier encoding, which copied every array out first ({@code meanArray()}, ...).
   */
  @Test
  void encodingIsTheArrayCopyingEncodingByteForByte() {
    LayerEvidence e = evidence();
    ActivationSummary a = e.activation().orElseThrow();
    assertThat(only(EvidenceCodec.activation(a))).isEqualTo(copyingActivation(a));

    GradientSummary g = e.gradient().orElseThrow();
    StateWriter w = new StateWriter(16).writeByte(1).writeInt(g.neurons());
    copying(w, g.gradient());
    copying(w, g.magnitude());
    w.writeLong(g.sign().windows())
        .writeLongs(g.sign().positiveArray())
        .writeLongs(g.sign().negativeArray());
    copying(w, g.gate());
    assertThat(only(EvidenceCodec.gradient(g))).isEqualTo(w.toByteArray());

    CurvatureSummary c = e.curvature().orElseThrow();
    w = new StateWriter(16).writeByte(1).writeInt(c.neurons());
    copying(w, c.vHv());
    assertThat(only(EvidenceCodec.curvature(c))).isEqualTo(w.toByteArray());
  }

  /**
   * The activation part as the earliest encoder wrote it, copying every array out first, into one
   * growable buffer: format 1, whatever the part's size.
   */
  static byte[] copyingActivation(ActivationSummary a) {
    StateWriter w = new StateWriter(16).writeByte(1).writeInt(a.neurons());
    copying(w, a.value());
    copying(w, a.magnitude());
    w.writeLong(a.nonZero().total()).writeLongs(a.nonZero().countArray());
    w.writeDouble(a.histogram().lo())
        .writeDouble(a.histogram().hi())
        .writeInt(a.histogram().bins())
        .writeLong(a.histogram().total())
        .writeLongs(a.histogram().countArray());
    int[] anchors = a.coActivation().anchorArray();
    w.writeLong(a.coActivation().count()).writeInt(anchors.length);
    for (int anchor : anchors) {
      w.writeInt(anchor);
    }
    w.writeDoubles(a.coActivation().meanArray())
        .writeDoubles(a.coActivation().m2Array())
        .writeDoubles(a.coActivation().comomentArray());
    return w.toByteArray();
  }

  /** The single store value of a part that fits one (every part of these 9-neuron layers). */
  private static byte[] only(byte[][] values) {
    assertThat(values.length).isEqualTo(1);
    return values[0];
  }

  private static void copying(StateWriter w, io.prunewire.scorers.stats.Moments m) {
    w.writeLong(m.count())
        .writeDoubles(m.meanArray())
        .writeDoubles(m.m2Array())
        .writeDoubles(m.minArray())
        .writeDoubles(m.maxArray());
  }
}
