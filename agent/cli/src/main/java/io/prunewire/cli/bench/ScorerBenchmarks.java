package io.prunewire.cli.bench;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
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

  /** Counts neuron summaries merged, reported by JMH as a rate ({@code :neuronMerges}, per second). */
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
}
