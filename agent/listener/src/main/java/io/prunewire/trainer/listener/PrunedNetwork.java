package io.prunewire.trainer.listener;

import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a {@link PruningListener} prunes: a network, its prunable groups (from {@link
 * io.prunewire.trainer.network.PrunableLayers}'s adapters or a workload's own table) and the two
 * things that differ between a network with gate layers and one without — how the listener sees
 * activations and {@code ∂L/∂a}, and whether pruned neurons need a forward mask besides their
 * zeroed parameters. Everything else (summaries, probes, decisions, masks) is one code path.
 *
 * <p>{@link PruningListener#forNetwork} builds one from the adapters; a network that brings its own
 * prunable table, gates and probe loss (the project's reference workloads) implements it and passes
 * it to {@link PruningListener#builder(PrunedNetwork)}.
 */
public interface PrunedNetwork {

  TrainedNetwork network();

  List<PrunableLayer> layers();

  /** The probe evaluator over the held-out batches (at least one). */
  ProbeEvaluator evaluator(List<DataSet> heldOut);

  /**
   * Installs {@code observer} on the network's gates and returns true, or returns false when the
   * network has none and the listener must take activations and gradients itself ({@link
   * TrainedNetwork#pass}).
   */
  boolean observeGates(GateObserver observer);

  /** Stops pruned neurons' outputs in the forward pass too, where a gate can; else nothing. */
  void maskForward(NeuronMasks applied);
}
