package io.prunewire.service;

import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.fusion.CriterionScores;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.List;

/**
 * The per-layer normalised criteria the agent fuses; the same names, in the same order, for every
 * layer.
 */
interface LayerCriteria {

  /** Name of the HAP criterion (Hutchinson trace × ‖w_in‖² / fan-in), the reported baseline. */
  String HAP = "hap";

  /** Criterion names, in the learned fusion's feature order. */
  List<String> names();

  /** Every criterion of {@link #names()} for one layer, normalised within the layer. */
  CriterionScores score(LayerSpec layer, LayerEvidence evidence);
}
