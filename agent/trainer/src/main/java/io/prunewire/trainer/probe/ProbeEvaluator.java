package io.prunewire.trainer.probe;

import io.prunewire.trainer.model.Workload;
import java.util.List;
import java.util.Objects;
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
  MultiLayerNetwork network();

  /** Inference-mode loss (no dropout) on the probe batch. */
  double loss();

  /**
   * Flattened gradient (DL4J parameter order) of a deterministic training loss on the probe batch;
   * deterministic so that finite differences of it measure curvature. Valid until the next call.
   */
  INDArray gradient();

  /**
   * For a reference workload: {@link Workload#loss} and {@link Workload#lossGradient} (dropout off,
   * zero initial recurrent state, training state and gate observers untouched).
   */
  static ProbeEvaluator of(Workload workload, DataSet batch) {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(batch, "batch");
    return new ProbeEvaluator() {
      @Override
      public MultiLayerNetwork network() {
        return workload.network();
      }

      @Override
      public double loss() {
        return workload.loss(batch);
      }

      @Override
      public INDArray gradient() {
        return workload.lossGradient(batch).gradient();
      }
    };
  }

  /**
   * For a reference workload over several batches of equal shape: the mean of {@link Workload#loss}
   * and of {@link Workload#lossGradient} over {@code batches} (a fixed held-out set, e.g. the
   * ground truth of {@code prunewire compare}).
   */
  static ProbeEvaluator of(Workload workload, List<DataSet> batches) {
    Objects.requireNonNull(workload, "workload");
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("probe evaluator: no batches");
    }
    List<DataSet> fixed = List.copyOf(batches);
    return new ProbeEvaluator() {
      @Override
      public MultiLayerNetwork network() {
        return workload.network();
      }

      @Override
      public double loss() {
        double sum = 0;
        for (DataSet b : fixed) {
          sum += workload.loss(b);
        }
        return sum / fixed.size();
      }

      @Override
      public INDArray gradient() {
        INDArray sum = null;
        for (DataSet b : fixed) {
          INDArray g = workload.lossGradient(b).gradient();
          sum = sum == null ? g : sum.addi(g);
        }
        return sum.divi(fixed.size());
      }
    };
  }

  /**
   * For a plain network: DL4J's score and {@code computeGradientAndScore()} on {@code batch}.
   * Dropout stays on in the gradient but draws the same masks at every call (ND4J's generator is
   * re-seeded with {@code dropoutSeed}). The network's input, labels and score are restored after
   * each call.
   */
  static ProbeEvaluator of(MultiLayerNetwork net, ProbeBatch batch, long dropoutSeed) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(batch, "batch");
    return new ProbeEvaluator() {
      @Override
      public MultiLayerNetwork network() {
        return net;
      }

      @Override
      public double loss() {
        return restoring(
            () ->
                net.score(
                    new DataSet(
                        batch.features(), batch.labels(), batch.featuresMask(), batch.labelsMask()),
                    false));
      }

      @Override
      public INDArray gradient() {
        return restoring(
            () -> {
              Nd4j.getRandom().setSeed(dropoutSeed);
              net.setInput(batch.features());
              net.setLabels(batch.labels());
              net.setLayerMaskArrays(batch.featuresMask(), batch.labelsMask());
              net.computeGradientAndScore();
              net.clearLayerMaskArrays();
              return net.gradient().gradient();
            });
      }

      private <T> T restoring(java.util.function.Supplier<T> call) {
        double score = net.score();
        INDArray input = net.getInput();
        INDArray labels = net.getLabels();
        try {
          return call.get();
        } finally {
          net.setScore(score);
          net.setInput(input);
          net.setLabels(labels);
        }
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
      public MultiLayerNetwork network() {
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
