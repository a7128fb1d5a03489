package io.prunewire.trainer.model;

import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The probes' view of a reference workload over fixed batches of equal shape (a held-out set, e.g.
 * the ground truth of {@code prunewire compare}): the mean of {@link Workload#loss} and of {@link
 * Workload#lossGradient} over the batches — dropout off, zero initial recurrent state, training
 * state and gate observers untouched.
 */
public final class WorkloadEvaluator implements ProbeEvaluator {
  private final Workload workload;
  private final List<DataSet> batches;

  /** An evaluator of {@code workload} over {@code batches} (at least one). */
  public WorkloadEvaluator(Workload workload, List<DataSet> batches) {
    this.workload = Objects.requireNonNull(workload, "workload");
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("probe evaluator: no batches");
    }
    this.batches = List.copyOf(batches);
  }

  /** An evaluator of {@code workload} over one batch. */
  public WorkloadEvaluator(Workload workload, DataSet batch) {
    this(workload, List.of(Objects.requireNonNull(batch, "batch")));
  }

  @Override
  public Model network() {
    return workload.network();
  }

  @Override
  public double loss() {
    double sum = 0;
    for (DataSet b : batches) {
      sum += workload.loss(b);
    }
    return sum / batches.size();
  }

  @Override
  public INDArray gradient() {
    if (batches.size() == 1) {
      return workload.lossGradient(batches.get(0)).gradient();
    }
    INDArray sum = null;
    for (DataSet b : batches) {
      INDArray g = workload.lossGradient(b).gradient();
      sum = sum == null ? g : sum.addi(g);
    }
    return sum.divi(batches.size());
  }
}
