package io.prunewire.trainer.probe;

import io.prunewire.trainer.network.TrainedNetwork;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluates a network on one fixed probe batch at its current parameters, without disturbing
 * training: probes perturb the parameters, call this, and put them back.
 */
public interface ProbeEvaluator {

  /** The network whose parameters probes perturb. */
  Model network();

  /** Inference-mode loss (no dropout) on the probe batch. */
  double loss();

  /**
   * Flattened gradient (DL4J parameter order) of a deterministic training loss on the probe batch;
   * deterministic so that finite differences of it measure curvature. Valid until the next call.
   */
  INDArray gradient();

  /** {@link #of(TrainedNetwork, ProbeBatch, long)} for a plain multi-layer network. */
  static ProbeEvaluator of(MultiLayerNetwork net, ProbeBatch batch, long dropoutSeed) {
    return of(TrainedNetwork.of(net), batch, dropoutSeed);
  }

  /**
   * For a user's network or graph: DL4J's score and training gradient on {@code batch} ({@link
   * TrainedNetwork#loss}, {@link TrainedNetwork#gradient}). Dropout stays on in the gradient but
   * draws the same masks at every call (ND4J's generator is re-seeded with {@code dropoutSeed}).
   */
  static ProbeEvaluator of(TrainedNetwork net, ProbeBatch batch, long dropoutSeed) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(batch, "batch");
    DataSet data =
        new DataSet(batch.features(), batch.labels(), batch.featuresMask(), batch.labelsMask());
    return new ProbeEvaluator() {
      @Override
      public Model network() {
        return net.model();
      }

      @Override
      public double loss() {
        return net.loss(data);
      }

      @Override
      public INDArray gradient() {
        Nd4j.getRandom().setSeed(dropoutSeed);
        return net.gradient(data);
      }
    };
  }

  /**
   * The mean of {@code evaluators} over the same network: {@code loss = Σ loss_k / K}, {@code
   * gradient = Σ gradient_k / K} (e.g. one per held-out batch).
   */
  static ProbeEvaluator mean(List<ProbeEvaluator> evaluators) {
    if (evaluators.isEmpty()) {
      throw new IllegalArgumentException("probe evaluator: no batches");
    }
    if (evaluators.size() == 1) {
      return evaluators.get(0);
    }
    List<ProbeEvaluator> fixed = List.copyOf(evaluators);
    return new ProbeEvaluator() {
      @Override
      public Model network() {
        return fixed.get(0).network();
      }

      @Override
      public double loss() {
        double sum = 0;
        for (ProbeEvaluator e : fixed) {
          sum += e.loss();
        }
        return sum / fixed.size();
      }

      @Override
      public INDArray gradient() {
        INDArray sum = null;
        for (ProbeEvaluator e : fixed) {
          // each call's array is valid only until the next: copy the first, add the others
          INDArray g = e.gradient();
          sum = sum == null ? g.dup() : sum.addi(g);
        }
        return sum.divi(fixed.size());
      }
    };
  }
}
