package io.prunewire.evaluation.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A held-out metric (e.g. validation perplexity or test accuracy) measured at every checkpoint
 * step. Installed once before the {@code PruningListener} (it then sees the network before the
 * decision) and once after it (after the masks are applied); DL4J calls listeners in the order they
 * were added.
 */
public final class CheckpointMetric extends BaseTrainingListener {

  private final DoubleSupplier metric;
  private final int every;
  private final int checkpoints;
  private final IntConsumer onCheckpoint;
  private final Map<Integer, Double> values = new TreeMap<>();

  /**
   * Measures {@code metric} after iterations {@code every, 2·every, …, checkpoints·every}; {@code
   * onCheckpoint} runs with the checkpoint number (1-based) before it is measured.
   */
  public CheckpointMetric(
      DoubleSupplier metric, int every, int checkpoints, IntConsumer onCheckpoint) {
    this.metric = metric;
    this.every = every;
    this.checkpoints = checkpoints;
    this.onCheckpoint = onCheckpoint;
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    int done = iteration + 1;
    if (done % every == 0 && done / every <= checkpoints) {
      onCheckpoint.accept(done / every);
      values.put(done / every, metric.getAsDouble());
    }
  }

  /** The metric at checkpoint {@code k}, NaN if it was not reached. */
  public double at(int k) {
    return values.getOrDefault(k, Double.NaN);
  }
}
