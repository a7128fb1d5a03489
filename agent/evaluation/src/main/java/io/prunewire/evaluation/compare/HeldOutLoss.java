package io.prunewire.evaluation.compare;

import io.prunewire.protocol.LayerSpec;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadEvaluator;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loss changes (nats/token, mean over a fixed set of held-out validation batches, inference mode)
 * of removing neurons: what the oracle measures one neuron or group at a time, and what the probed
 * fusion measures for the removals it considers. The batches must be disjoint from the perplexity
 * tokens, so that neither is fitted to what it is judged on.
 */
final class HeldOutLoss {

  private final Workload workload;
  private final ProbeEvaluator evaluator;
  private final List<LayerOwnership> ownership = new ArrayList<>();
  private final long tokens;

  /** Removals measured by {@link #deltaLoss}: the same masks give the same loss change. */
  private final Map<BitSet, Double> measured = new HashMap<>();

  /**
   * @param workload a network whose validation split holds the held-out tokens only
   */
  HeldOutLoss(Workload workload, int batches) {
    this.workload = workload;
    List<DataSet> held = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      held.add(workload.probeBatch(Split.VALID, b));
    }
    this.evaluator = new WorkloadEvaluator(workload, held);
    for (PrunableLayer p : workload.prunableLayers()) {
      ownership.add(LayerOwnership.of(workload.network(), p));
    }
    this.tokens = (long) batches * held.get(0).getLabels().length();
  }

  /** The network restored on the held-out tokens. */
  Workload workload() {
    return workload;
  }

  /** Loss of the intact network on the held-out batches. */
  double intactLoss() {
    return evaluator.loss();
  }

  /** Held-out tokens. */
  long tokens() {
    return tokens;
  }

  /**
   * The loss change of each removal; a removal lists {layer index, neuron} pairs.
   *
   * @param step called after each removal (progress)
   */
  double[] deltaLosses(List<List<int[]>> removals, Runnable step) {
    return AblationProbe.deltaLosses(evaluator, ownership, removals, step);
  }

  /**
   * The loss change of removing every neuron that {@code masks} prunes, measured once per distinct
   * removal.
   */
  double deltaLoss(NeuronMasks masks, List<LayerSpec> specs) {
    List<int[]> removal = new ArrayList<>();
    BitSet key = new BitSet();
    int offset = 0;
    for (int l = 0; l < specs.size(); l++) {
      boolean[] keep = masks.keep(specs.get(l).name());
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          removal.add(new int[] {l, i});
          key.set(offset + i);
        }
      }
      offset += keep.length;
    }
    if (removal.isEmpty()) {
      return 0.0;
    }
    Double known = measured.get(key);
    if (known != null) {
      return known;
    }
    double d = deltaLosses(List.of(removal), () -> {})[0];
    measured.put(key, d);
    return d;
  }
}
