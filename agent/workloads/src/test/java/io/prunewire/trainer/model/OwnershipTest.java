package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.network.OwnedSlice;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ownership description covers exactly what a neuron influences: for every group of both models
 * and its first and last neuron, (1) its consumer rows are where the gate feeds it (zeroing them
 * equals masking it), (2) once its outgoing slices are zero its incoming weights no longer matter,
 * (3) once its incoming slices are zero its activation is constant.
 */
class OwnershipTest {
  /** Same computation up to float rounding. */
  private static final double SAME = 1e-6;

  /** A neuron's removal must move some log-probability by more than this. */
  private static final double DIFFERENT = 1e-4;

  private static PtbCorpus corpus;

  @BeforeAll
  static void load() {
    corpus = PtbCorpus.load().slice(400, 400);
  }

  static Stream<Arguments> groups() {
    return Stream.of(ModelKind.values())
        .flatMap(
            kind -> {
              WorkloadConfig c = config(kind);
              return Networks.prunableLayers(c).stream()
                  .flatMap(
                      g -> Stream.of(0, g.neurons() - 1).map(i -> Arguments.of(kind, g.name(), i)));
            });
  }

  static WorkloadConfig config(ModelKind kind) {
    // widths differ per half so that a wrong concat offset cannot line up by accident
    return WorkloadConfig.builder()
        .model(kind)
        .embedding(6)
        .rnn(5)
        .snn(kind == ModelKind.HYBRID ? 7 : 0)
        .bptt(6)
        .batch(3)
        .dropout(0)
        .seed(21)
        .build();
  }

  @ParameterizedTest(name = "{0} {1} neuron {2}")
  @MethodSource("groups")
  void consumerRowsAreWhereTheGateFeedsTheNeuron(ModelKind kind, String group, int neuron) {
    Workload masked = workload(kind);
    PrunableLayer g = group(masked, group);
    boolean[] keep = allKept(masked.gate(g.gateLayer()).neurons());
    keep[g.gateOffset() + neuron] = false;
    masked.gate(g.gateLayer()).setMask(keep);

    Workload zeroed = workload(kind);
    zero(zeroed, g, neuron, s -> !s.incoming() && s.layerIndex() != ownLayer(g));

    INDArray reference = output(workload(kind));
    assertThat(maxAbsDiff(output(zeroed), output(masked))).isLessThanOrEqualTo(SAME);
    assertThat(maxAbsDiff(output(zeroed), reference)).isGreaterThan(DIFFERENT);
  }

  @ParameterizedTest(name = "{0} {1} neuron {2}")
  @MethodSource("groups")
  void withOutgoingSlicesZeroIncomingWeightsDoNotMatter(ModelKind kind, String group, int neuron) {
    Workload w = workload(kind);
    PrunableLayer g = group(w, group);
    zero(w, g, neuron, s -> !s.incoming());
    INDArray before = output(w);
    Random random = new Random(neuron);
    for (OwnedSlice s : g.incomingSlices()) {
      INDArray v = view(w, s, neuron);
      for (long k = 0; k < v.length(); k++) {
        v.putScalar(k, 3 * random.nextGaussian());
      }
    }
    assertThat(maxAbsDiff(output(w), before)).isLessThanOrEqualTo(SAME);
  }

  @ParameterizedTest(name = "{0} {1} neuron {2}")
  @MethodSource("groups")
  void withIncomingSlicesZeroTheActivationIsConstantAndFanInMatches(
      ModelKind kind, String group, int neuron) {
    Workload w = workload(kind);
    PrunableLayer g = group(w, group);
    long fanIn = g.incomingSlices().stream().mapToLong(s -> view(w, s, neuron).length()).sum();
    assertThat(fanIn).isEqualTo(g.fanIn());

    int column = g.gateOffset() + neuron;
    assertThat(activation(w, g, column).maxNumber().doubleValue())
        .isGreaterThan(activation(w, g, column).minNumber().doubleValue());
    zero(w, g, neuron, OwnedSlice::incoming);
    INDArray a = activation(w, g, column);
    assertThat(a.maxNumber().doubleValue()).isEqualTo(a.minNumber().doubleValue());
  }

  private static int ownLayer(PrunableLayer g) {
    return g.incomingSlices().get(0).layerIndex();
  }

  /**
   * Embeddings scaled up (and layer-2 spiking weights driven by layer-1 spikes) so that spiking
   * neurons fire and every neuron's activation varies.
   */
  private static Workload workload(ModelKind kind) {
    Workload w = Workload.create(config(kind), corpus);
    w.network().getLayer(Networks.EMBEDDING).getParam("W").muli(25);
    if (kind == ModelKind.HYBRID) {
      // every layer-1 spike adds 0.5 to each layer-2 membrane: two spikes, or two in a row, fire
      INDArray ws = w.network().getLayer(Networks.HIDDEN_2).getParam(HybridLayer.SNN_WEIGHTS);
      ws.assign(0);
      ws.get(NDArrayIndex.interval(0, config(kind).snn()), NDArrayIndex.all()).assign(0.5);
    }
    return w;
  }

  private static PrunableLayer group(Workload w, String name) {
    return w.prunableLayers().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  private static boolean[] allKept(int n) {
    boolean[] keep = new boolean[n];
    java.util.Arrays.fill(keep, true);
    return keep;
  }

  private static void zero(Workload w, PrunableLayer g, int neuron, Predicate<OwnedSlice> which) {
    g.slices().stream().filter(which).forEach(s -> view(w, s, neuron).assign(0));
  }

  private static INDArray view(Workload w, OwnedSlice s, int neuron) {
    INDArray p = w.network().getLayer(s.layerIndex()).getParam(s.paramKey());
    long index = s.offset() + neuron;
    if (p.rank() == 1) {
      return p.get(NDArrayIndex.interval(index, index + 1));
    }
    return s.axis() == 0
        ? p.get(NDArrayIndex.point(index), NDArrayIndex.all())
        : p.get(NDArrayIndex.all(), NDArrayIndex.point(index));
  }

  /** Log-probabilities: softmax outputs are ~1e-4, their logs resolve a single neuron's effect. */
  private static double maxAbsDiff(INDArray a, INDArray b) {
    return Transforms.log(a, true).sub(Transforms.log(b, true)).amaxNumber().doubleValue();
  }

  private static DataSet batch() {
    return corpus.batches(Split.VALID, 3).window(0, 6);
  }

  private static INDArray output(Workload w) {
    return w.network().output(batch().getFeatures(), false);
  }

  /** The gate layer's output for one column over batch and time. */
  private static INDArray activation(Workload w, PrunableLayer g, int column) {
    List<INDArray> acts = w.network().feedForward(batch().getFeatures(), false);
    return acts.get(g.gateLayer() + 1)
        .get(NDArrayIndex.all(), NDArrayIndex.point(column), NDArrayIndex.all())
        .dup();
  }
}
