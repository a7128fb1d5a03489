package io.prunewire.evaluation.train;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code prunewire train}'s epochs: each trains the workload one epoch under a progress bar (loss,
 * perplexity, tokens per second), then prints training, validation and test perplexity, saves the
 * workload if asked and, in a deployment, reports the meters and what the agent has pruned.
 */
public final class EpochLoop {
  private EpochLoop() {}

  /**
   * Trains {@code workload} from its completed epochs up to {@code totalEpochs}.
   *
   * @param checkpointDir where to save the workload after every epoch, or null
   * @param joined the deployment the trainer takes part in, or null
   */
  public static void run(
      Workload workload, int totalEpochs, Path checkpointDir, JoinedRun joined, PrintWriter out) {
    WorkloadConfig c = workload.config();
    while (workload.completedEpochs() < totalEpochs) {
      int epoch = workload.completedEpochs() + 1;
      long start = System.nanoTime();
      double trainLoss;
      try (Progress bar =
          Progress.start(
              "epoch " + epoch,
              workload.corpus().batches(Split.TRAIN, c.batch()).windowCount(c.bptt()),
              " windows")) {
        trainLoss =
            workload.trainEpoch(
                p -> {
                  double seconds = (System.nanoTime() - start) / 1e9;
                  bar.stepTo(p.window());
                  bar.setExtraMessage(
                      String.format(
                          " loss %.3f ppl %.1f %.0f tok/s",
                          p.loss(), Math.exp(p.loss()), p.tokens() / seconds));
                  if (joined != null) {
                    joined
                        .training()
                        .window(
                            workload.network().getIterationCount(), p.loss(), p.tokens() / seconds);
                  }
                });
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double valid = workload.evaluatePerplexity(Split.VALID);
      double test = workload.evaluatePerplexity(Split.TEST);
      if (joined != null) {
        joined.training().validationPerplexity(valid);
      }
      out.printf(
          "epoch %d: train ppl %.2f | valid ppl %.2f | test ppl %.2f | %.0f s%n",
          epoch, Math.exp(trainLoss), valid, test, seconds);
      if (checkpointDir != null) {
        workload.save(checkpointDir);
        out.printf("saved checkpoint to %s%n", checkpointDir);
      }
      if (joined != null) {
        joined.printPruned(out);
      }
      out.flush();
    }
  }
}
