package io.prunewire.evaluation.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code prunewire example --quick} end to end, with fewer steps: broker, agent and both user
 * networks, each pruned by the agent's decisions through the public listener API.
 */
class ExampleTest {

  @Test
  void bothNetworksArePrunedAsTheScheduleAsks() throws Exception {
    // The quick profile, 44 LM and 89 MLP steps: checkpoints after 15 and 30, and 30 and 60.
    ExampleSettings settings = ExampleSettings.quick().with(null, 45, 90, null, null, null);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<NetworkReport> reports =
        Example.run(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(reports).extracting(NetworkReport::metric).containsExactly("perplexity", "accuracy");
    NetworkReport lm = reports.get(0);
    NetworkReport mlp = reports.get(1);
    // 2 x 64 LSTM units and 128 + 64 dense units, cubic to 50 % in two checkpoints:
    // round(n · 0.5 · (1 − (1 − k/2)³)) pruned after checkpoint k.
    assertPrunedAsPlanned(lm, 56, 64);
    assertPrunedAsPlanned(mlp, 84, 96);
    assertThat(lm.layers()).extracting(NetworkReport.Layer::name).containsExactly("lstm1", "lstm2");
    assertThat(mlp.layers())
        .extracting(NetworkReport.Layer::name)
        .containsExactly("dense1", "dense2");

    // Better than chance before pruning, finite after every step of the way.
    assertThat(lm.before()).isBetween(1.0, (double) settings.vocabulary());
    assertThat(mlp.before()).isGreaterThan(0.5);
    for (NetworkReport r : reports) {
      assertThat(r.checkpoints()).allSatisfy(c -> assertThat(c.after()).isFinite());
      assertThat(r.end()).isFinite();
      assertThat(r.nonZeroParameters()).isPositive().isLessThan(r.parameters());
    }
    assertThat(mlp.end()).isBetween(0.5, 1.0);

    assertPrunedNeuronsOutputZero(lm, tokens());
    assertPrunedNeuronsOutputZero(mlp, Nd4j.rand(8, FashionMnist.PIXELS));
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("agent running; metrics on");
  }

  private static void assertPrunedAsPlanned(NetworkReport r, int afterFirst, int afterSecond) {
    assertThat(r.checkpoints())
        .extracting(NetworkReport.Checkpoint::planned)
        .containsExactly(afterFirst, afterSecond - afterFirst);
    assertThat(r.checkpoints())
        .extracting(NetworkReport.Checkpoint::prunedInAll)
        .containsExactly(afterFirst, afterSecond);
    assertThat(r.layers().stream().mapToInt(NetworkReport.Layer::pruned).sum())
        .isEqualTo(afterSecond);
    assertThat(r.masks().pruned()).isEqualTo(afterSecond);
  }

  /** Every pruned neuron's output is exactly 0 on {@code input}; the kept ones are not all 0. */
  private static void assertPrunedNeuronsOutputZero(NetworkReport r, INDArray input) {
    MultiLayerNetwork net = r.network();
    List<INDArray> activations = net.feedForward(input, false);
    for (NetworkReport.Layer layer : r.layers()) {
      INDArray out = activations.get(index(net, layer.name()) + 1);
      boolean[] keep = r.masks().keep(layer.name());
      for (int j = 0; j < keep.length; j++) {
        INDArray unit =
            out.rank() == 3
                ? out.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all())
                : out.get(NDArrayIndex.all(), NDArrayIndex.point(j));
        if (!keep[j]) {
          assertThat(unit.amaxNumber().doubleValue()).as(layer.name() + " unit " + j).isZero();
        }
      }
      assertThat(out.amaxNumber().doubleValue()).as(layer.name()).isPositive();
    }
  }

  private static int index(MultiLayerNetwork net, String name) {
    for (int i = 0; i < net.getnLayers(); i++) {
      if (name.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
        return i;
      }
    }
    throw new AssertionError("no layer " + name);
  }

  /** Four sequences of 12 token ids, as the language model reads them: {@code [batch, 1, time]}. */
  private static INDArray tokens() {
    return Transforms.floor(Nd4j.rand(4, 1, 12).muli(500), false);
  }
}
