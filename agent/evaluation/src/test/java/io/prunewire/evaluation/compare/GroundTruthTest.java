package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GroundTruthTest {

  private static Workload workload;
  private static List<LayerSpec> specs;

  @BeforeAll
  static void tinyModel() {
    WorkloadConfig config =
        WorkloadConfig.builder()
            .model(ModelKind.HYBRID)
            .embedding(8)
            .rnn(6)
            .snn(4)
            .bptt(5)
            .batch(3)
            .evalBatch(3)
            .dropout(0)
            .seed(3)
            .build();
    workload = Workload.create(config, PtbCorpus.load().slice(200, 200));
    specs =
        workload.prunableLayers().stream()
            .map(
                p ->
                    new LayerSpec(
                        p.name(),
                        p.name().endsWith("snn") ? LayerKind.SNN : LayerKind.RNN,
                        p.neurons(),
                        (int) p.fanIn(),
                        "test"))
            .toList();
  }

  @Test
  void everyNeuronIsMeasuredAndGroupsStayInsideOneFold() {
    GroundTruth all =
        GroundTruth.measure(new HeldOutLoss(workload, 2), specs, 4, List.of(0.25, 0.5), 0, 9);
    assertThat(all.sampled).isFalse();
    for (LayerSpec l : specs) {
      assertThat(all.singles.get(l.name())).hasSize(l.neurons()).doesNotContain(Double.NaN);
      int[] fold = all.folds.get(l.name());
      long zeros = java.util.Arrays.stream(fold).filter(f -> f == 0).count();
      assertThat(Math.abs(2 * zeros - l.neurons())).isLessThanOrEqualTo(1);
    }
    assertThat(all.groups).hasSize(8);
    for (GroundTruth.Group g : all.groups) {
      for (int[] m : g.members()) {
        assertThat(all.folds.get(specs.get(m[0]).name())[m[1]]).isEqualTo(g.fold());
      }
    }
    assertThat(
            all.singles.values().stream()
                .flatMapToDouble(java.util.Arrays::stream)
                .anyMatch(d -> d != 0))
        .isTrue();
  }

  @Test
  void aStratifiedSampleMeasuresTheSameNeuronsToTheSameValues() {
    GroundTruth all =
        GroundTruth.measure(new HeldOutLoss(workload, 2), specs, 0, List.of(0.5), 0, 9);
    int total = specs.stream().mapToInt(LayerSpec::neurons).sum();
    GroundTruth some =
        GroundTruth.measure(new HeldOutLoss(workload, 2), specs, 2, List.of(0.5), total / 2, 9);
    assertThat(some.sampled).isTrue();
    int measured = 0;
    for (LayerSpec l : specs) {
      double[] s = some.singles.get(l.name());
      long here = java.util.Arrays.stream(s).filter(d -> !Double.isNaN(d)).count();
      assertThat(here)
          .isEqualTo(Math.max(1, Math.round((double) (total / 2) * l.neurons() / total)));
      measured += (int) here;
      for (int i = 0; i < s.length; i++) {
        if (!Double.isNaN(s[i])) {
          assertThat(s[i]).isEqualTo(all.singles.get(l.name())[i]);
        }
      }
    }
    assertThat(measured).isBetween(total / 2 - specs.size(), total / 2 + specs.size());
    for (GroundTruth.Group g : some.groups) {
      assertThat(some.sumOfSingles(g, specs)).isNotNaN();
    }
    assertThat(workload.prunableLayers().stream().map(PrunableLayer::name).toList())
        .containsExactlyElementsOf(specs.stream().map(LayerSpec::name).toList());
  }
}
