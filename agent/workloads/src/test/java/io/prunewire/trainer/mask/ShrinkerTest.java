package io.prunewire.trainer.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class ShrinkerTest {

  private static PtbCorpus corpus;

  @BeforeAll
  static void loadCorpus() {
    corpus = PtbCorpus.load().slice(600, 200);
  }

  /** Prunes a random third of every layer (seeded), never all of one. */
  private static NeuronMasks randomMasks(List<PrunableLayer> layers) {
    SplittableRandom random = new SplittableRandom(17);
    Map<String, boolean[]> keep = new LinkedHashMap<>();
    for (PrunableLayer l : layers) {
      boolean[] k = new boolean[l.neurons()];
      for (int i = 0; i < k.length; i++) {
        k[i] = i == 0 || random.nextInt(3) != 0;
      }
      keep.put(l.name(), k);
    }
    return NeuronMasks.of(keep);
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void shrunkNetworkComputesWhatTheMaskedOneComputes(ModelKind kind) {
    Workload w =
        Workload.create(
            WorkloadConfig.builder()
                .model(kind)
                .embedding(12)
                .rnn(9)
                .snn(kind == ModelKind.HYBRID ? 7 : 0)
                .bptt(8)
                .batch(3)
                .evalBatch(3)
                .dropout(0.0)
                .seed(5)
                .build(),
            corpus);
    w.trainEpoch(p -> {}); // move away from the initial weights
    MultiLayerNetwork net = w.network();
    List<PrunableLayer> layers = w.prunableLayers();
    NeuronMasks masks = randomMasks(layers);
    new MaskApplier(net, layers.stream().map(l -> LayerOwnership.of(net, l)).toList()).apply(masks);

    MultiLayerNetwork small = Shrinker.shrink(net, layers, masks);

    int kept = layers.stream().mapToInt(l -> l.neurons()).sum() - masks.pruned();
    assertThat(masks.pruned()).isPositive();
    assertThat(small.numParams()).isLessThan(net.numParams());
    long smallWidth =
        small.getLayer(2).getParam("g").length() + small.getLayer(4).getParam("g").length();
    assertThat(smallWidth).isEqualTo(kept);
    DataSet batch = w.probeBatch(Split.VALID, 0);
    INDArray masked = net.output(batch.getFeatures(), false);
    INDArray shrunk = small.output(batch.getFeatures(), false);
    assertThat(shrunk.shape()).isEqualTo(masked.shape());
    double maxDiff = Math.abs(masked.sub(shrunk).maxNumber().doubleValue());
    maxDiff = Math.max(maxDiff, Math.abs(masked.sub(shrunk).minNumber().doubleValue()));
    assertThat(maxDiff).isLessThan(1e-5);
  }
}
