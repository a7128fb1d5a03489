package io.prunewire.evaluation.bench;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.fusion.AdaptiveFusion;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.fusion.FusedScores;
import io.prunewire.scorers.fusion.Fusion;
import io.prunewire.scorers.fusion.LearnedFusion;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.fusion.SimpleFusion;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The agent's update path: (a) merging one layer summary (activation + gradient) into the layer's
 * state; (b) rescoring two 1,300-neuron layers with every criterion, normalisation and fusion.
 */
public class ScorerBenchmarks {

  /** A layer's state and one incoming trainer window to merge into it. */
  @State(Scope.Thread)
  public static class MergeState {
    @Param({"650", "1300"})
    public int neurons;

    LayerEvidence evidence;
    ActivationSummary activation;
    GradientSummary gradient;

    @Setup(Level.Trial)
    public void setUp() {
      SyntheticLayer layer = new SyntheticLayer(neurons, 42);
      evidence = new LayerEvidence("h1", neurons);
      evidence.merge(layer.activation(35));
      evidence.merge(layer.gradient(35));
      activation = layer.activation(35);
      gradient = layer.gradient(35);
    }
  }

  /**
   * Counts neuron summaries merged, reported by JMH as a rate ({@code :neuronMerges}, per second).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class NeuronMerges {
    public long neuronMerges;

    @Setup(Level.Iteration)
    public void reset() {
      neuronMerges = 0;
    }
  }

  /** One layer summary (activation + gradient, every accumulator) merged into the state. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public LayerEvidence mergeLayerSummary(MergeState s, NeuronMerges counter) {
    s.evidence.merge(s.activation);
    s.evidence.merge(s.gradient);
    counter.neuronMerges += s.neurons;
    return s.evidence;
  }

  /**
   * The same merge without the histogram (20 bins) and co-activation (32 anchors) parts: the moment
   * and count accumulators alone, to show what the per-neuron summary size costs.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public LayerEvidence mergeMomentsAndCounts(MergeState s, NeuronMerges counter) {
    ActivationSummary into = s.evidence.activation().orElseThrow();
    into.value().merge(s.activation.value());
    into.magnitude().merge(s.activation.magnitude());
    into.nonZero().merge(s.activation.nonZero());
    s.evidence.gradient().orElseThrow().merge(s.gradient);
    counter.neuronMerges += s.neurons;
    return s.evidence;
  }

  /** Two 1,300-neuron layers with every kind of evidence, and fusions that have history. */
  @State(Scope.Thread)
  public static class RescoreState {
    static final int NEURONS = 1300;

    final Criteria criteria = Criteria.defaults();
    final List<LayerEvidence> layers = new ArrayList<>();
    final List<Fusion> fusions = new ArrayList<>();
    AdaptiveFusion adaptive;

    @Setup(Level.Trial)
    public void setUp() {
      for (int l = 0; l < 2; l++) {
        layers.add(new SyntheticLayer(NEURONS, 7 + l).evidence("h" + (l + 1), NEURONS, NEURONS));
      }
      List<String> names = criteria.names();
      adaptive = AdaptiveFusion.withSmoothing(0.3);
      LearnedFusion learned = LearnedFusion.create(LearnedFusion.Config.builder().build(), names);
      CriterionScores first = normalised(layers.get(0), Normalizers.all().get(0));
      adaptive.update(first);
      SplittableRandom random = new SplittableRandom(3);
      for (int m = 0; m < 200; m++) {
        learned.observeNeuron(first, random.nextInt(NEURONS), random.nextDouble());
      }
      fusions.add(new SimpleFusion());
      fusions.add(new SeedFusion());
      fusions.add(adaptive);
      fusions.add(learned);
    }

    CriterionScores normalised(LayerEvidence evidence, Normalizer normalizer) {
      return CriterionScores.normalise(
          evidence.layer(), criteria.scoreAvailable(evidence), normalizer);
    }
  }

  /**
   * The agent's rescore of 2 × 1,300 neurons: every criterion, rank-normalised, and every fusion
   * (adaptive with its reliability update).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void fullRescore(RescoreState s, Blackhole sink) {
    rescore(s, List.of(Normalizers.byName("rank")), sink);
  }

  /** As {@link #fullRescore}, with each of the three normalisations and every fusion of each. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void fullRescoreAllNormalisations(RescoreState s, Blackhole sink) {
    rescore(s, Normalizers.all(), sink);
  }

  private static void rescore(RescoreState s, List<Normalizer> normalizers, Blackhole sink) {
    for (LayerEvidence layer : s.layers) {
      Map<String, double[]> raw = s.criteria.scoreAvailable(layer);
      for (Normalizer normalizer : normalizers) {
        CriterionScores scores = CriterionScores.normalise(layer.layer(), raw, normalizer);
        s.adaptive.update(scores);
        for (Fusion fusion : s.fusions) {
          FusedScores fused = fusion.fuse(scores);
          sink.consume(fused);
        }
      }
    }
  }

  /** The criteria alone on 2 × 1,300 neurons, to split the rescore cost. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void criteriaOnly(RescoreState s, Blackhole sink) {
    for (LayerEvidence layer : s.layers) {
      sink.consume(s.criteria.scoreAvailable(layer));
    }
  }
}
