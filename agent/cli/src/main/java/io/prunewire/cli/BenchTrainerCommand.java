package io.prunewire.cli;

import io.prunewire.evaluation.bench.TrainerThroughput;
import io.prunewire.trainer.model.ModelKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire bench trainer}: checks the flags of {@link TrainerThroughput} and runs it. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = {
      "Measures training throughput in tokens/s (batch × bptt tokens per step) of the hybrid RNN/SNN or the"
          + " LSTM language model: real training steps on consecutive Penn Treebank windows, full 10k softmax,"
          + " float32. After --warmup seconds it runs --windows measurement windows of --seconds each; with"
          + " --listener the windows alternate between the bare network and the network with the"
          + " PruningListener attached (default settings, in-memory sink), so both see the same machine load.",
      "Prints one line per window, then the medians; the last line is exactly `tokens/s <median without"
          + " listener>`. bench/pytorch/hybrid_lm.py measures the same model in PyTorch and prints the same"
          + " last line; bench/trainer-vs-pytorch.sh runs both interleaved (docs/BENCHMARKS.md).",
      "Example: prunewire bench trainer --embedding 128 --rnn 128 --snn 128 --seconds 20 --windows 5 --listener"
    })
public final class BenchTrainerCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      defaultValue = "hybrid",
      description = "hybrid or lstm (default: ${DEFAULT-VALUE}).")
  ModelKind model;

  @Option(
      names = "--embedding",
      defaultValue = "128",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(
      names = "--rnn",
      defaultValue = "128",
      description = "RNN half per hybrid layer, or the LSTM width (default: ${DEFAULT-VALUE}).")
  int rnn;

  @Option(
      names = "--snn",
      defaultValue = "128",
      description = "Spiking half per hybrid layer; ignored by lstm (default: ${DEFAULT-VALUE}).")
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
      names = "--seconds",
      defaultValue = "15",
      description = "Length of one measurement window in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--windows",
      defaultValue = "5",
      description = "Measurement windows per condition (default: ${DEFAULT-VALUE}).")
  int windows;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Untimed training first, in seconds (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--listener",
      description = "Also measure with the PruningListener attached, windows alternating.")
  boolean withListener;

  @Option(
      names = "--profile",
      description =
          "Sample the training thread during the bare windows (Java Flight"
              + " Recorder) and print which part of the network the step time goes to.")
  boolean profile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (seconds <= 0 || windows < 1 || warmup < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds must be > 0, --windows >= 1 and --warmup >= 0, got "
              + seconds
              + ", "
              + windows
              + " and "
              + warmup);
    }
    TrainerThroughput.run(
        new TrainerThroughput.Settings(
            model,
            embedding,
            rnn,
            snn,
            batch,
            bptt,
            seconds,
            windows,
            warmup,
            withListener,
            profile),
        System.out);
    return 0;
  }
}
