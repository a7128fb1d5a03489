package io.prunewire.evaluation.train;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * {@code prunewire train}: loads Penn Treebank (a slice of it in the quick profile), builds the
 * workload or restores it from a checkpoint, prints what it trains and its perplexity before
 * training, and trains it epoch by epoch ({@link EpochLoop}); in a deployment as a {@link
 * JoinedRun}, finished after the last epoch.
 */
public final class Training {
  /** The quick profile: training tokens of the slice. */
  public static final int QUICK_TRAIN_TOKENS = 30_000;

  /** The quick profile: validation and test tokens of the slice. */
  public static final int QUICK_EVAL_TOKENS = 8_000;

  /** The quick profile: default embedding, RNN and SNN widths. */
  public static final int QUICK_WIDTH = 64;

  /** The quick profile: default epochs. */
  public static final int QUICK_EPOCHS = 2;

  /**
   * What to train, as {@code prunewire train}'s flags give it.
   *
   * @param quick train on the quick profile's slice of the corpus
   * @param totalEpochs epochs to reach, counting those a restored workload has completed
   * @param checkpointDir where to save the workload after every epoch, or null
   * @param resume continue from {@code checkpointDir} instead of building a new workload
   * @param exportShrunk in a deployment, where to write the shrunk network after training, or null
   * @param metricsLingerSeconds in a deployment, how long to keep serving {@code /metrics} after
   *     training
   */
  public record Settings(
      boolean quick,
      int totalEpochs,
      Path checkpointDir,
      boolean resume,
      Path exportShrunk,
      int metricsLingerSeconds) {}

  /** How the trainer joins a deployment once its workload is built. */
  @FunctionalInterface
  public interface Deployment {
    /** The running {@link JoinedRun} of {@code workload}, trained up to {@code totalEpochs}. */
    JoinedRun join(Workload workload, int totalEpochs);
  }

  private Training() {}

  /**
   * Trains as {@code s} says.
   *
   * @param config the configuration of a new workload, given the corpus' vocabulary size (not
   *     called when resuming)
   * @param deployment how to join a deployment, or null to train alone
   */
  public static void run(
      Settings s, IntFunction<WorkloadConfig> config, Deployment deployment, PrintWriter out)
      throws InterruptedException, IOException {
    PtbCorpus corpus = PtbCorpus.load();
    if (s.quick()) {
      corpus = corpus.slice(QUICK_TRAIN_TOKENS, QUICK_EVAL_TOKENS);
    }
    Workload workload =
        s.resume()
            ? Workload.restore(s.checkpointDir(), corpus)
            : Workload.create(config.apply(corpus.vocabulary().size()), corpus);
    WorkloadConfig c = workload.config();
    out.printf(
        "%s model: embedding %d, rnn %d, snn %d, %,d parameters; %,d training tokens; epochs %d -> %d%n",
        c.model().name().toLowerCase(Locale.ROOT),
        c.embedding(),
        c.rnn(),
        c.model() == ModelKind.HYBRID ? c.snn() : 0,
        workload.network().numParams(),
        corpus.tokenCount(Split.TRAIN),
        workload.completedEpochs(),
        s.totalEpochs());
    double initialValid =
        workload.completedEpochs() == 0 ? workload.evaluatePerplexity(Split.VALID) : Double.NaN;
    if (workload.completedEpochs() == 0) {
      out.printf("before training: valid ppl %.2f%n", initialValid);
    }
    out.flush();
    try (JoinedRun joined =
        deployment == null ? null : deployment.join(workload, s.totalEpochs())) {
      if (joined != null && !Double.isNaN(initialValid)) {
        joined.training().validationPerplexity(initialValid);
      }
      EpochLoop.run(workload, s.totalEpochs(), s.checkpointDir(), joined, out);
      if (joined != null) {
        joined.finish(workload, s.exportShrunk(), out);
        if (s.metricsLingerSeconds() > 0) {
          out.printf(
              "training done; serving /metrics for %d more seconds%n", s.metricsLingerSeconds());
          out.flush();
          Thread.sleep(s.metricsLingerSeconds() * 1000L);
        }
      }
    }
  }
}
