package io.prunewire.evaluation.demo;

import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Workload;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Validation perplexity at every checkpoint step. Installed once before the {@code PruningListener}
 * (it then sees the network before the decision) and once after it (after the masks are applied);
 * DL4J calls listeners in the order they were added.
 */
final class CheckpointPerplexity extends BaseTrainingListener {

  private final Workload workload;
  private final int every;
  private final int checkpoints;
  private final IntConsumer onCheckpoint;
  private final Map<Integer, Double> perplexity = new TreeMap<>();

  /** {@code onCheckpoint} runs with the checkpoint number before the perplexity is measured. */
  CheckpointPerplexity(Workload workload, int every, int checkpoints, IntConsumer onCheckpoint) {
    this.workload = workload;
    this.every = every;
    this.checkpoints = checkpoints;
    this.onCheckpoint = onCheckpoint;
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    int done = iteration + 1;
    if (done % every == 0 && done / every <= checkpoints) {
      onCheckpoint.accept(done / every);
      perplexity.put(done / every, workload.evaluatePerplexity(Split.VALID));
    }
  }

  /** Validation perplexity at checkpoint {@code k}, NaN if it was not reached. */
  double at(int k) {
    return perplexity.getOrDefault(k, Double.NaN);
  }
}
