package io.prunewire.evaluation.compare;

import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.retention.LayerScores;
import io.prunewire.scorers.retention.NeuronType;
import io.prunewire.scorers.retention.Retention;
import io.prunewire.scorers.retention.RetentionRails;
import io.prunewire.scorers.retention.TypeAware;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.MaskApplier;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.model.Evaluation;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.network.PrunableLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prunes the checkpoint by a scorer and measures what is left: HSTNN type-aware retention (spiking
 * and analog neurons ranked separately, each pooled across layers, silent spiking neurons first, as
 * the agent decides) at a fraction and {@code snn_ratio}; validation perplexity of the masked
 * network as is, and after a short fixed fine-tune with the masks held (pruned neurons stay
 * removed).
 */
final class Pruner {

  /**
   * Masks chosen for one (scorer, fraction, snn_ratio), with how many neurons of each type stay.
   */
  record Selection(NeuronMasks masks, int removed, int keptSpiking, int keptAnalog) {}

  private final Path checkpoint;
  private final PtbCorpus full;
  private final int evalTokens;
  private final List<LayerSpec> specs;
  private final Workload eval;
  private final INDArray intact;
  private final List<LayerOwnership> evalOwnership;

  /**
   * @param evalTokens validation tokens of the perplexities
   */
  Pruner(Path checkpoint, PtbCorpus full, int evalTokens, List<LayerSpec> specs) {
    this.checkpoint = checkpoint;
    this.full = full;
    this.evalTokens = evalTokens;
    this.specs = specs;
    this.eval = Workload.restore(checkpoint, full.slice(0, Checkpoints.tokens(1), 0, evalTokens));
    this.intact = eval.network().params().dup();
    this.evalOwnership = ownership(eval);
  }

  /** Validation perplexity of the unpruned checkpoint. */
  double perplexity() {
    return evaluation().perplexity();
  }

  /** {@link #perplexity()} window by window. */
  Evaluation evaluation() {
    eval.network().params().assign(intact);
    return eval.evaluate(Split.VALID);
  }

  /**
   * The masks type-aware retention chooses from {@code scores}.
   *
   * @param firing spike counts of the spiking layers in the telemetry the scores came from (silent
   *     = 0)
   */
  Selection select(
      Map<String, double[]> scores, double fraction, double snnRatio, Map<String, long[]> firing) {
    List<LayerScores> layers = new ArrayList<>();
    for (LayerSpec l : specs) {
      NeuronType type = l.kind() == LayerKind.SNN ? NeuronType.SPIKING : NeuronType.ANALOG;
      NeuronType[] types = new NeuronType[l.neurons()];
      Arrays.fill(types, type);
      LayerScores.Builder b = LayerScores.builder(l.name(), scores.get(l.name())).types(types);
      if (type == NeuronType.SPIKING && firing.containsKey(l.name())) {
        b.firingCounts(firing.get(l.name()));
      }
      layers.add(b.build());
    }
    Retention r = new TypeAware(fraction, snnRatio).select(layers, RetentionRails.DEFAULT);
    int removed = 0;
    int spiking = 0;
    int analog = 0;
    for (LayerSpec l : specs) {
      int kept = r.layer(l.name()).keptCount();
      removed += l.neurons() - kept;
      if (l.kind() == LayerKind.SNN) {
        spiking += kept;
      } else {
        analog += kept;
      }
    }
    return new Selection(NeuronMasks.of(r.masks()), removed, spiking, analog);
  }

  /** Validation perplexity with the masks applied, no fine-tune. */
  double perplexity(NeuronMasks masks) {
    return evaluation(masks).perplexity();
  }

  /** {@link #perplexity(NeuronMasks)} window by window. */
  Evaluation evaluation(NeuronMasks masks) {
    eval.network().params().assign(intact);
    new MaskApplier(eval.network(), evalOwnership).apply(masks);
    try {
      return eval.evaluate(Split.VALID);
    } finally {
      eval.network().params().assign(intact);
    }
  }

  /**
   * Validation perplexity after fine-tuning the masked checkpoint for {@code steps} windows: the
   * first of the training split (a checkpoint of several epochs has seen every window alike).
   */
  double fineTuned(NeuronMasks masks, int steps) {
    Workload w =
        Workload.restore(checkpoint, full.slice(0, Checkpoints.tokens(steps), 0, evalTokens));
    // Every fine-tune draws the same dropout masks: scorers differ only by what they pruned.
    org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(w.config().seed());
    MaskApplier applier = new MaskApplier(w.network(), ownership(w));
    applier.apply(masks);
    w.network().addListeners(applier);
    w.trainEpoch(p -> {});
    return w.evaluatePerplexity(Split.VALID);
  }

  private static List<LayerOwnership> ownership(Workload w) {
    List<LayerOwnership> out = new ArrayList<>();
    for (PrunableLayer p : w.prunableLayers()) {
      out.add(LayerOwnership.of(w.network(), p));
    }
    return out;
  }
}
