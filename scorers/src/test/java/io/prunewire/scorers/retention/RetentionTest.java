package io.prunewire.scorers.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionTest {

  private final Random random = new Random(17);

  /** Brute force: the indices of the k lowest (score, index) pairs. */
  private static boolean[] keepAllButLowest(double[] scores, int prune) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> scores[i]).thenComparingInt(i -> i));
    boolean[] keep = new boolean[scores.length];
    Arrays.fill(keep, true);
    for (int k = 0; k < prune; k++) {
      keep[order[k]] = false;
    }
    return keep;
  }

  private double[] scoresWithTies(int n) {
    return random.ints(n, -5, 6).asDoubleStream().map(x -> x / 2).toArray();
  }

  @RepeatedTest(20)
  void fixedRatioPrunesTheLowestScoresTiesByLowerIndex() {
    int n = 1 + random.nextInt(60);
    double s = random.nextDouble();
    double[] scores = scoresWithTies(n);
    LayerDecision d =
        new FixedRatio(s)
            .select(List.of(LayerScores.of("l", scores)), RetentionRails.DEFAULT)
            .layer("l");
    int prune = Math.min((int) Math.round(s * n), n - 1); // the default floor keeps one neuron
    assertThat(d.keep()).containsExactly(keepAllButLowest(scores, prune));
    assertThat(d.prunedNowCount()).isEqualTo(prune);
  }

  @Test
  void allEqualScoresPruneLowerIndicesFirst() {
    LayerDecision d =
        new FixedRatio(0.4)
            .select(List.of(LayerScores.of("l", new double[5])), RetentionRails.DEFAULT)
            .layer("l");
    assertThat(d.keep()).containsExactly(false, false, true, true, true);
    assertThat(d.reasons())
        .containsExactly(
            Reason.PRUNED_LOW_SCORE,
            Reason.PRUNED_LOW_SCORE,
            Reason.KEPT,
            Reason.KEPT,
            Reason.KEPT);
  }

  @Test
  void negativeScoresRankBelowPositiveOnes() {
    LayerDecision d =
        new TopK(2)
            .select(
                List.of(LayerScores.of("l", new double[] {-3, 0.5, -0.1, 2})),
                RetentionRails.DEFAULT)
            .layer("l");
    assertThat(d.keep()).containsExactly(false, true, false, true);
  }

  @Test
  void oneNeuronLayerIsKeptByTheFloor() {
    LayerDecision d =
        new FixedRatio(1.0)
            .select(List.of(LayerScores.of("tiny", new double[] {0.1})), RetentionRails.DEFAULT)
            .layer("tiny");
    assertThat(d.keep()).containsExactly(true);
    assertThat(d.reason(0)).isEqualTo(Reason.KEPT_FLOOR);
  }

  @Test
  void floorFractionAndMaximumPerCheckpointBoundPruning() {
    double[] scores = IntStream.range(0, 20).asDoubleStream().toArray();
    RetentionRails floor = RetentionRails.builder().minKeptFraction(0.75).build();
    LayerDecision floored =
        new FixedRatio(0.5).select(List.of(LayerScores.of("l", scores)), floor).layer("l");
    assertThat(floored.keptCount()).isEqualTo(15);
    assertThat(floored.reason(4)).isEqualTo(Reason.PRUNED_LOW_SCORE);
    assertThat(floored.reason(5)).isEqualTo(Reason.KEPT_FLOOR);
    assertThat(floored.reason(10)).isEqualTo(Reason.KEPT); // above the policy's cut of 10

    RetentionRails limited = RetentionRails.builder().maxRemovedFractionPerCheckpoint(0.1).build();
    LayerDecision capped =
        new FixedRatio(0.5).select(List.of(LayerScores.of("l", scores)), limited).layer("l");
    assertThat(capped.prunedNowCount()).isEqualTo(2);
    assertThat(capped.keep(0)).isFalse();
    assertThat(capped.keep(1)).isFalse();
    assertThat(capped.reason(2)).isEqualTo(Reason.KEPT_CHECKPOINT_LIMIT);
    assertThat(capped.reason(9)).isEqualTo(Reason.KEPT_CHECKPOINT_LIMIT);
    assertThat(capped.reason(10)).isEqualTo(Reason.KEPT);
  }

  @Test
  void totalMaximumPerCheckpointIsSpentOnTheLowestOfThePoolFirst() {
    List<LayerScores> layers =
        List.of(
            LayerScores.of("a", new double[] {0.1, 0.2, 0.3, 0.4}),
            LayerScores.of("b", new double[] {0.05, 0.6, 0.7, 0.8}));
    Retention r =
        new GlobalBudget(0.5)
            .select(layers, RetentionRails.builder().maxRemovedPerCheckpoint(2).build());
    assertThat(r.layer("b").keep()).containsExactly(false, true, true, true);
    assertThat(r.layer("a").keep()).containsExactly(false, true, true, true);
    // the two next in line are held by the limit; the rest rank above the cut of 4
    assertThat(r.layer("a").reasons())
        .containsExactly(
            Reason.PRUNED_LOW_SCORE,
            Reason.KEPT_CHECKPOINT_LIMIT,
            Reason.KEPT_CHECKPOINT_LIMIT,
            Reason.KEPT);
    assertThat(r.layer("b").reasons())
        .containsExactly(Reason.PRUNED_LOW_SCORE, Reason.KEPT, Reason.KEPT, Reason.KEPT);
  }

  @Test
  void prunedNeuronsStayPrunedAndCountTowardTheTarget() {
    double[] scores = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    boolean[] alive = {false, false, false, true, true, true, true, true, true, true};
    LayerDecision d =
        new FixedRatio(0.5)
            .select(
                List.of(LayerScores.builder("l", scores).alive(alive).build()),
                RetentionRails.DEFAULT)
            .layer("l");
    // 3 of the 5 are already gone, so only the two lowest alive go now
    assertThat(d.keep())
        .containsExactly(false, false, false, true, true, true, true, true, false, false);
    assertThat(d.reason(0)).isEqualTo(Reason.PRUNED_BEFORE);
    assertThat(d.prunedNowCount()).isEqualTo(2);
    // a target below what is already pruned revives nothing
    LayerDecision lower =
        new FixedRatio(0.1)
            .select(
                List.of(LayerScores.builder("l", scores).alive(alive).build()),
                RetentionRails.DEFAULT)
            .layer("l");
    assertThat(lower.keep()).containsExactly(alive);
  }

  @Test
  void protectedLayersAreNeverPruned() {
    Retention r =
        new FixedRatio(0.5)
            .select(
                List.of(
                    LayerScores.of("embed", new double[] {1, 2, 3, 4}),
                    LayerScores.of("h1", new double[] {1, 2, 3, 4})),
                RetentionRails.builder().protectedLayers(Set.of("embed")).build());
    assertThat(r.layer("embed").keep()).containsOnly(true);
    assertThat(r.layer("embed").reasons()).containsOnly(Reason.KEPT_PROTECTED);
    assertThat(r.layer("h1").keptCount()).isEqualTo(2);
  }

  @Test
  void silentSpikingNeuronsGoFirstWhateverTheirScore() {
    NeuronType[] types = {
      NeuronType.SPIKING, NeuronType.SPIKING, NeuronType.ANALOG, NeuronType.SPIKING
    };
    LayerScores layer =
        LayerScores.builder("l", new double[] {9, 1, 2, 8})
            .types(types)
            .firingCounts(new long[] {0, 5, 0, 0})
            .build();
    LayerDecision d = new FixedRatio(0.5).select(List.of(layer), RetentionRails.DEFAULT).layer("l");
    // neurons 0 and 3 are silent spiking (the analog neuron 2 with count 0 is not "silent")
    assertThat(d.keep()).containsExactly(false, true, true, false);
    assertThat(d.reason(0)).isEqualTo(Reason.PRUNED_SILENT);
    assertThat(d.reason(3)).isEqualTo(Reason.PRUNED_SILENT);
  }

  private List<LayerScores> hybridLayers(int perType) {
    List<LayerScores> layers = new ArrayList<>();
    for (String name : new String[] {"h1", "h2"}) {
      NeuronType[] types = new NeuronType[2 * perType];
      for (int i = 0; i < types.length; i++) {
        types[i] = i < perType ? NeuronType.SPIKING : NeuronType.ANALOG;
      }
      layers.add(
          LayerScores.builder(name, random.doubles(2 * perType).toArray()).types(types).build());
    }
    return layers;
  }

  @ParameterizedTest
  @CsvSource({"0.1, 4, 36", "0.5, 20, 20", "0.9, 36, 4"})
  void typeAwareKeepsSnnRatioOfTheKeptNeuronsAndRanksTypesSeparately(
      double ratio, int spiking, int analog) {
    List<LayerScores> layers =
        hybridLayers(20); // 2 layers × (20 spiking + 20 analog) = 80, half kept
    Retention r = new TypeAware(0.5, ratio).select(layers, RetentionRails.DEFAULT);
    for (NeuronType type : NeuronType.values()) {
      List<double[]> kept = new ArrayList<>();
      List<double[]> pruned = new ArrayList<>();
      for (LayerScores l : layers) {
        for (int i = 0; i < l.size(); i++) {
          if (l.type(i) == type) {
            (r.layer(l.layer()).keep(i) ? kept : pruned).add(new double[] {l.score(i)});
          }
        }
      }
      assertThat(kept).hasSize(type == NeuronType.SPIKING ? spiking : analog);
      double lowestKept = kept.stream().mapToDouble(x -> x[0]).min().orElseThrow();
      assertThat(pruned).allSatisfy(x -> assertThat(x[0]).isLessThan(lowestKept));
    }
  }

  @Test
  void typeAwareGivesTheExcessOfAShortTypeToTheOther() {
    NeuronType[] types = new NeuronType[40];
    Arrays.fill(types, NeuronType.ANALOG);
    Arrays.fill(types, 0, 10, NeuronType.SPIKING);
    LayerScores layer = LayerScores.builder("h", random.doubles(40).toArray()).types(types).build();
    LayerDecision d =
        new TypeAware(0.5, 0.9).select(List.of(layer), RetentionRails.DEFAULT).layer("h");
    // K = 20, 18 spiking wanted but only 10 exist: all 10 spiking and 10 analog stay
    assertThat(d.keptCount()).isEqualTo(20);
    assertThat(IntStream.range(0, 10).filter(d::keep).count()).isEqualTo(10);
  }

  @Test
  void typeAwareKeepsAtLeastOneNeuronPerLayer() {
    List<LayerScores> layers = new ArrayList<>();
    NeuronType[] spikingOnly = new NeuronType[10];
    Arrays.fill(spikingOnly, NeuronType.SPIKING);
    NeuronType[] analogOnly = new NeuronType[10];
    Arrays.fill(analogOnly, NeuronType.ANALOG);
    layers.add(LayerScores.builder("snn", random.doubles(10).toArray()).types(spikingOnly).build());
    layers.add(LayerScores.builder("rnn", random.doubles(10).toArray()).types(analogOnly).build());
    Retention r = new TypeAware(0.5, 0.0).select(layers, RetentionRails.DEFAULT);
    assertThat(r.layer("snn").keptCount()).isEqualTo(1);
    assertThat(r.layer("rnn").keptCount()).isEqualTo(10);
  }

  @Test
  void globalBudgetPoolsLayersUnderTheFloor() {
    List<LayerScores> layers =
        List.of(
            LayerScores.of("a", new double[] {0.1, 0.2, 0.3, 0.4}),
            LayerScores.of("b", new double[] {0.5, 0.6, 0.7, 0.8}));
    Retention r = new GlobalBudget(0.5).select(layers, RetentionRails.DEFAULT);
    // the four lowest are all in a, but the floor keeps a's best neuron; the next lowest is b[0]
    assertThat(r.layer("a").keep()).containsExactly(false, false, false, true);
    assertThat(r.layer("a").reason(3)).isEqualTo(Reason.KEPT_FLOOR);
    assertThat(r.layer("b").keep()).containsExactly(false, true, true, true);
  }

  @RepeatedTest(10)
  void percentilePrunesExactlyTheScoresBelowTheInterpolatedPercentile() {
    int n = 2 + random.nextInt(40);
    double[] scores = scoresWithTies(n);
    double p = 100 * random.nextDouble();
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double h = p / 100 * (n - 1);
    int lo = (int) h;
    double t = sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]);
    LayerDecision d =
        new Percentile(p)
            .select(List.of(LayerScores.of("l", scores)), RetentionRails.DEFAULT)
            .layer("l");
    for (int i = 0; i < n; i++) {
      boolean expected = scores[i] >= t || (d.keptCount() == 1 && d.reason(i) == Reason.KEPT_FLOOR);
      assertThat(d.keep(i))
          .as("neuron %d score %s threshold %s", i, scores[i], t)
          .isEqualTo(expected);
    }
  }

  /** Brute force of the CV rule on all-alive scores. */
  private static int cvKept(double[] s) {
    double min = Math.min(0, Arrays.stream(s).min().orElseThrow());
    double[] v = Arrays.stream(s).map(x -> x - min).sorted().toArray();
    double mean = Arrays.stream(v).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    double cv = mean > 0 ? sd / mean : 0;
    double share = cv > 2.5 ? 0.7 : cv > 1.5 ? 0.8 : 0.9;
    double total = Arrays.stream(v).sum();
    if (total == 0) {
      return (int) Math.ceil(share * v.length);
    }
    double cum = 0;
    for (int k = 0; k < v.length; k++) {
      cum += v[v.length - 1 - k];
      if (cum >= share * total * (1 - 1e-12)) {
        return k + 1;
      }
    }
    throw new AssertionError("unreachable");
  }

  @ParameterizedTest
  @CsvSource({"0.0", "1.0", "3.0"}) // heavy-tail exponent: CV ≈ low, medium, high
  void coefficientOfVariationKeepsTheShareOfImportanceItsCvCalls(double tail) {
    double[] scores = new double[200];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = Math.exp(tail * random.nextGaussian());
    }
    LayerDecision d =
        CoefficientOfVariation.DEFAULT
            .select(List.of(LayerScores.of("l", scores)), RetentionRails.DEFAULT)
            .layer("l");
    int expected = cvKept(scores);
    assertThat(d.keptCount()).isEqualTo(expected);
    assertThat(d.keep()).containsExactly(keepAllButLowest(scores, 200 - expected));
  }

  @Test
  void coefficientOfVariationThresholdsAndEdgeCases() {
    assertThat(CoefficientOfVariation.DEFAULT.share(2.51)).isEqualTo(0.7);
    assertThat(CoefficientOfVariation.DEFAULT.share(2.5)).isEqualTo(0.8);
    assertThat(CoefficientOfVariation.DEFAULT.share(1.5)).isEqualTo(0.9);
    LayerDecision equal =
        CoefficientOfVariation.DEFAULT
            .select(List.of(LayerScores.of("l", new double[10])), RetentionRails.DEFAULT)
            .layer("l");
    assertThat(equal.keptCount()).isEqualTo(9);
    double[] negatives = {-4, -1, -2, -3, 5};
    LayerDecision shifted =
        CoefficientOfVariation.DEFAULT
            .select(List.of(LayerScores.of("l", negatives)), RetentionRails.DEFAULT)
            .layer("l");
    assertThat(shifted.keptCount()).isEqualTo(cvKept(negatives));
  }

  @Test
  void badInputNamesTheLayerAndTheProblem() {
    assertThatThrownBy(() -> LayerScores.of("h3", new double[] {1, Double.POSITIVE_INFINITY}))
        .hasMessageContaining("h3")
        .hasMessageContaining("neuron 1");
    assertThatThrownBy(() -> LayerScores.of("h3", new double[0])).hasMessageContaining("empty");
    assertThatThrownBy(
            () -> LayerScores.builder("h3", new double[2]).firingCounts(new long[] {1, -2}).build())
        .hasMessageContaining("negative firing count");
    assertThatThrownBy(() -> LayerScores.builder("h3", new double[2]).alive(new boolean[3]).build())
        .hasMessageContaining("alive has 3");
    assertThatThrownBy(
            () ->
                new FixedRatio(0.5)
                    .select(
                        List.of(
                            LayerScores.of("x", new double[1]), LayerScores.of("x", new double[1])),
                        RetentionRails.DEFAULT))
        .hasMessageContaining("x given twice");
    assertThatThrownBy(() -> new FixedRatio(1.5)).hasMessageContaining("sparsity");
    assertThatThrownBy(() -> new TypeAware(0.5, -0.1)).hasMessageContaining("snn_ratio");
    assertThatThrownBy(() -> RetentionRails.builder().minKeptPerLayer(0).build())
        .hasMessageContaining("minKept");
    assertThatThrownBy(() -> RetentionRails.builder().maxRemovedPerCheckpoint(-1).build())
        .hasMessageContaining("maxRemovedPerCheckpoint");
  }
}
