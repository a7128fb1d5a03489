package io.prunewire.cli;

import io.prunewire.evaluation.bench.ListenerOverhead;
import io.prunewire.evaluation.bench.ListenerOverhead.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire bench listener}: checks the flags of {@link ListenerOverhead} and runs it. */
@Command(
    name = "listener",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the listener's overhead: mean training step time of the HSTNN hybrid model without the"
          + " PruningListener and with it (default settings: summaries of every 10th step, published every"
          + " --publish-every steps with a weight snapshot; no curvature, no checkpoints) once per --weights"
          + " mode, in interleaved blocks whose order rotates every round, and reports the median over blocks"
          + " of each condition.",
      "Every block starts halfway through a publish window, so with --steps a multiple of --publish-every it"
          + " holds the same number of weight snapshots; a block whose statistics are computed in the"
          + " background ends when they are published, and that wait counts in its time. Run it on a quiet"
          + " machine.",
      "Example: prunewire bench listener --rounds 4 --steps 100 --weights sync,async --write docs/BENCHMARKS.md"
    })
public final class BenchListenerCommand implements Callable<Integer> {

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Blocks per condition (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "Training windows per block (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Untimed windows first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--weights",
      split = ",",
      defaultValue = "async",
      paramLabel = "MODE",
      description =
          "Weight statistics of the measured listener, one condition per mode: off, sync (inside the"
              + " training callback, as before they moved off the training thread) or async (the listener's"
              + " background thread); e.g. sync,async compares both against the same baseline (default: ${DEFAULT-VALUE}).")
  List<Weights> weights;

  @Option(
      names = "--publish-every",
      defaultValue = "100",
      description =
          "The listener's publish window and weight-snapshot cadence in steps (default: ${DEFAULT-VALUE}).")
  int publishEvery;

  @Option(
      names = "--embedding",
      defaultValue = "64",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(
      names = "--rnn",
      defaultValue = "64",
      description = "RNN half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int rnn;

  @Option(
      names = "--snn",
      defaultValue = "64",
      description = "Spiking half per hybrid layer (default: ${DEFAULT-VALUE}).")
  int snn;

  @Option(
      names = "--batch",
      defaultValue = "25",
      description = "Batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--bptt",
      defaultValue = "35",
      description = "BPTT window (default: ${DEFAULT-VALUE}).")
  int bptt;

  @Option(
      names = "--write",
      paramLabel = "FILE",
      description =
          "Replace the \"Listener overhead\" section of this Markdown file (e.g. docs/BENCHMARKS.md).")
  Path write;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (rounds < 1 || steps < 1 || warmup < 0 || publishEvery < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--rounds, --steps and --publish-every must be >= 1 and"
              + " --warmup >= 0, got "
              + rounds
              + ", "
              + steps
              + ", "
              + publishEvery
              + " and "
              + warmup);
    }
    if (weights.stream().distinct().count() != weights.size()) {
      throw new ParameterException(
          spec.commandLine(), "--weights must name each mode at most once, got " + weights);
    }
    ListenerOverhead.run(
        new ListenerOverhead.Settings(
            rounds, steps, warmup, weights, publishEvery, embedding, rnn, snn, batch, bptt),
        write,
        System.out);
    return 0;
  }
}
