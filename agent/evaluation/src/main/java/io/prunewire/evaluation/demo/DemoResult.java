package io.prunewire.evaluation.demo;

import java.util.List;
import java.util.Map;

/**
 * Everything a demo run measured: what the report shows and the JSON holds.
 *
 * @param provenance command line, configuration, seed, PTB checksum, machine, wall time
 * @param startPerplexity validation perplexity of the untrained network
 * @param endPerplexity validation perplexity after the last step
 * @param layers one row per prunable layer (one neuron type each)
 * @param checkpoints one row per checkpoint
 */
record DemoResult(
    Map<String, Object> provenance,
    double startPerplexity,
    double endPerplexity,
    List<LayerRow> layers,
    List<CheckpointRow> checkpoints) {

  /**
   * One layer and neuron type.
   *
   * @param kept neurons kept after each checkpoint (in checkpoint order; -1 where no decision
   *     arrived)
   * @param fused Spearman of the agent's fused scores (decision k−1) against the single ablations
   *     of checkpoint k
   * @param hap Spearman of HAP on the same probes
   */
  record LayerRow(String layer, String type, int neurons, List<Integer> kept, Rho fused, Rho hap) {}

  /**
   * One checkpoint.
   *
   * @param planned removals the schedule planned (neurons)
   * @param keptSpiking spiking neurons kept after the decision, all layers
   * @param keptAnalog RNN neurons kept after the decision, all layers
   * @param pplBefore validation perplexity just before the decision was applied
   * @param pplAfter just after (no training in between)
   * @param decisionWait seconds the trainer waited for the decision (Kafka round trip, the agent's
   *     backlog and exactly-once commit, the decision itself)
   * @param agentLearned the agent's held-out Spearman of the learned fusion (all ablations so far)
   * @param agentHap the agent's held-out Spearman of HAP on the same held-out ablations
   * @param reason the decision's reason, or why there is no decision
   */
  record CheckpointRow(
      int index,
      String id,
      long step,
      int planned,
      int singles,
      int groups,
      int keptSpiking,
      int keptAnalog,
      double pplBefore,
      double pplAfter,
      double decisionWait,
      Rho agentLearned,
      Rho agentHap,
      String reason) {}
}
