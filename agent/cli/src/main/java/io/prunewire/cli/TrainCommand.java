package io.prunewire.cli;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prunewire train}: trains a PTB language model (HSTNN hybrid or LSTM) and reports perplexity. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
        "Train a word-level Penn Treebank language model: the HSTNN hybrid RNN/SNN model or a 2-layer LSTM."
            + " SGD with (heavy-ball) momentum, learning rate halved every --lr-halving epochs, global"
            + " gradient-norm clipping, truncated BPTT with the RNN state carried through each epoch."
            + " Prints validation and test perplexity after every epoch. Defaults are the published HSTNN"
            + " settings; --quick trains a small model on a slice of the corpus.",
        "",
"Examples:",
        "  prunewire train --model hybrid --quick",
        "  prunewire train --model lstm --rnn 200 --epochs 10 --checkpoint-dir runs/lstm",
        "  prunewire train --checkpoint-dir runs/lstm --resume --epochs 20"})
public final class TrainCommand implements Callable<Integer> {
  static final int QUICK_TRAIN_TOKENS = 30_000;
  static final int QUICK_EVAL_TOKENS = 8_000;
  static final int QUICK_WIDTH = 64;
  static final int QUICK_EPOCHS = 2;

  @Spec CommandSpec spec;

  @Option(names = "--model", description = "hybrid or lstm (default: ${DEFAULT-VALUE}).", defaultValue = "hybrid")
  ModelKind model;

  @Option(names = "--epochs", description = "Total epochs to reach (default: 40; --quick: 2).")
  Integer epochs;

  @Option(names = "--embedding", description = "Embedding width (default: 650; --quick: 64).")
  Integer embedding;

  @Option(names = "--rnn", description = "RNN-half width per hybrid layer, or the LSTM width (default: 650; --quick: 64).")
  Integer rnn;

  @Option(names = "--snn", description = "Spiking-half width per hybrid layer (default: 650; --quick: 64; ignored by lstm).")
  Integer snn;

  @Option(names = "--lr", description = "Initial learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.5")
  double learningRate;

  @Option(names = "--lr-halving", description = "Halve the learning rate every this many epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "25")
  int lrHalving;

  @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).", defaultValue = "0.9")
  double momentum;

  @Option(names = "--clip", description = "Max global L2 norm of the per-token gradient, 0 = off (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double clip;

  @Option(names = "--dropout", description = "Dropout probability (default: ${DEFAULT-VALUE}).", defaultValue = "0.5")
  double dropout;

  @Option(names = "--bptt", description = "Truncated-BPTT window (default: ${DEFAULT-VALUE}).", defaultValue = "35")
  int bptt;

  @Option(names = "--batch", description = "Training batch size (default: ${DEFAULT-VALUE}).", defaultValue = "25")
  int batch;

  @Option(names = "--eval-batch", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).", defaultValue = "10")
  int evalBatch;

  @Option(names = "--seed", description = "Seed for weights and dropout (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  long seed;

  @Option(names = "--quick", description = "Small profile: first " + QUICK_TRAIN_TOKENS + " training and " + QUICK_EVAL_TOKENS
      + " validation/test tokens, widths " + QUICK_WIDTH + ", " + QUICK_EPOCHS + " epochs (a few minutes on 2 cores).")
  boolean quick;

  @Option(names = "--checkpoint-dir", description = "Save the model (DL4J zip with updater) and workload.json here after every epoch.")
  Path checkpointDir;

  @Option(names = "--resume", description = "Continue from --checkpoint-dir up to --epochs (the saved configuration wins"
      + " over width/lr flags; repeat --quick if the run used it).")
  boolean resume;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (resume && (checkpointDir == null || !Files.isRegularFile(checkpointDir.resolve("workload.json")))) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--resume needs --checkpoint-dir pointing at a directory written by a previous run (workload.json missing)");
    }
    PtbCorpus corpus = PtbCorpus.load();
    if (quick) {
      corpus = corpus.slice(QUICK_TRAIN_TOKENS, QUICK_EVAL_TOKENS);
    }
    Workload workload = resume ? Workload.restore(checkpointDir, corpus) : Workload.create(config(corpus), corpus);
    WorkloadConfig c = workload.config();
    int totalEpochs = epochs != null ? epochs : quick ? QUICK_EPOCHS : 40;
    out.printf("%s model: embedding %d, rnn %d, snn %d, %,d parameters; %,d training tokens; epochs %d -> %d%n",
        c.model().name().toLowerCase(), c.embedding(), c.rnn(), c.model() == ModelKind.HYBRID ? c.snn() : 0,
        workload.network().numParams(), corpus.tokenCount(Split.TRAIN), workload.completedEpochs(), totalEpochs);
    if (workload.completedEpochs() == 0) {
      out.printf("before training: valid ppl %.2f%n", workload.evaluatePerplexity(Split.VALID));
    }
    out.flush();
    while (workload.completedEpochs() < totalEpochs) {
      int epoch = workload.completedEpochs() + 1;
      long start = System.nanoTime();
      double trainLoss;
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setStyle(ProgressBarStyle.ASCII)
          .setInitialMax(corpus.batches(Split.TRAIN, c.batch()).windowCount(c.bptt())).setUnit(" win", 1)
          .continuousUpdate().build()) {
        trainLoss = workload.trainEpoch(p -> {
          double seconds = (System.nanoTime() - start) / 1e9;
          bar.stepTo(p.window());
          bar.setExtraMessage(String.format(" loss %.3f ppl %.1f %.0f tok/s", p.loss(), Math.exp(p.loss()),
              p.tokens() / seconds));
        });
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double valid = workload.evaluatePerplexity(Split.VALID);
      double test = workload.evaluatePerplexity(Split.TEST);
      out.printf("epoch %d: train ppl %.2f | valid ppl %.2f | test ppl %.2f | %.0f s%n", epoch, Math.exp(trainLoss),
          valid, test, seconds);
      if (checkpointDir != null) {
        workload.save(checkpointDir);
        out.printf("saved checkpoint to %s%n", checkpointDir);
      }
      out.flush();
    }
    return 0;
  }

  private WorkloadConfig config(PtbCorpus corpus) {
    int width = quick ? QUICK_WIDTH : 650;
    return WorkloadConfig.builder().model(model).vocabulary(corpus.vocabulary().size())
        .embedding(embedding != null ? embedding : width)
        .rnn(rnn != null ? rnn : width)
        .snn(model == ModelKind.LSTM ? 0 : snn != null ? snn : width)
        .learningRate(learningRate).lrHalvingEpochs(lrHalving).momentum(momentum).clip(clip).dropout(dropout)
        .bptt(bptt).batch(batch).evalBatch(evalBatch).seed(seed)
        .build();
  }
}
