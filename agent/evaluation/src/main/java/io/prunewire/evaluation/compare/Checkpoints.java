package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Optimizer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The trained checkpoint a comparison measures: the HSTNN hybrid model at the compare widths,
 * trained from {@code seed} for {@code trainSteps} windows over the PTB training split (several
 * epochs when they span them), initialised as {@code prunewire demo} initialises it. Trained once
 * and cached under a key of everything that determines it, so a second run of the same command
 * measures the same network.
 */
final class Checkpoints {

  /** A checkpoint ready to restore, and how it came to be. */
  record Trained(Path dir, WorkloadConfig config, boolean cached, double trainSeconds) {}

  private Checkpoints() {}

  /**
   * The training recipe of every compare model (batch 25, bptt 35, Adam from lr 0.002 halved every
   * epoch, clip 1, dropout 0.2, embedding initialised in ±1). It departs from the published HSTNN
   * settings (momentum SGD from lr 0.5 halved every 25 epochs, dropout 0.5, ±0.1) because a compare
   * model trains three epochs, not hundreds: with ±0.1 the hybrid model (sigmoid RNN, silent
   * spiking neurons at first) sits at the unigram perplexity for most of the first epoch, in DL4J
   * and in PyTorch alike, and after two epochs momentum SGD reached validation perplexity 355 where
   * Adam reached 265 (docs/MODELS.md).
   */
  static WorkloadConfig baseConfig() {
    return WorkloadConfig.builder()
        .optimizer(Optimizer.ADAM)
        .learningRate(0.002)
        .dropout(0.2)
        .embeddingInit(1.0)
        .lrHalvingEpochs(1)
        .build();
  }

  /** The model configuration of a comparison (the same builder chain as {@code prunewire demo}). */
  static WorkloadConfig config(CompareSettings s, int vocabulary) {
    return baseConfig().toBuilder()
        .model(ModelKind.HYBRID)
        .vocabulary(vocabulary)
        .embedding(s.embedding())
        .rnn(s.rnn())
        .snn(s.snn())
        .evalBatch(s.evalBatch())
        .seed(s.seed())
        .build();
  }

  /** Training tokens of {@code steps} windows: {@code batch · (steps · bptt + 1)}. */
  static int tokens(int steps) {
    WorkloadConfig base = baseConfig();
    return base.batch() * (steps * base.bptt() + 1);
  }

  /** The cached checkpoint for {@code s}, trained now (with a progress bar) if absent. */
  static Trained obtain(CompareSettings s, PtbCorpus full, PrintStream out) {
    WorkloadConfig config = config(s, full.vocabulary().size());
    String key = key(config, s);
    Path dir = s.cacheDir().resolve("compare-" + key);
    if (Files.exists(dir.resolve("workload.json")) && Files.exists(dir.resolve("model.zip"))) {
      out.println("checkpoint: cached at " + dir.toAbsolutePath());
      return new Trained(dir, config, true, 0);
    }
    Workload w = Workload.create(config, training(full, s));
    long t0 = System.nanoTime();
    try (Progress bar =
        Progress.start(
            "train checkpoint (model seed " + s.seed() + ")", s.trainSteps(), " steps")) {
      w.train(
          s.trainSteps(),
          p -> {
            bar.stepTo(p.window());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f", p.loss()));
          });
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // Write to a temporary sibling and move: an interrupted run never leaves a half checkpoint in
    // the cache.
    Path tmp = s.cacheDir().resolve("compare-" + key + ".tmp-" + ProcessHandle.current().pid());
    w.save(tmp);
    try {
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot move the trained checkpoint to " + dir, e);
    }
    out.printf(
        Locale.ROOT,
        "checkpoint: trained %d steps in %.0f s, cached at %s%n",
        s.trainSteps(),
        seconds,
        dir);
    return new Trained(dir, config, false, seconds);
  }

  /**
   * The whole PTB training split, and the validation tokens every perplexity of {@code s} reads.
   */
  static PtbCorpus training(PtbCorpus full, CompareSettings s) {
    return full.slice(full.tokenCount(Split.TRAIN), s.evalTokens());
  }

  /**
   * SHA-256 prefix of the model configuration and training budget (windows over the whole split).
   */
  static String key(WorkloadConfig config, CompareSettings s) {
    String identity = config + "|steps=" + s.trainSteps() + "|data=ptb-train-epochs";
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
