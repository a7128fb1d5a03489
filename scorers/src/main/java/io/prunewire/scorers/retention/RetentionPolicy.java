package io.prunewire.scorers.retention;

import java.util.List;

/**
 * Decides which neurons of which layers survive a checkpoint. Every policy only decides how many
 * neurons each layer (or pool of layers) keeps; the order in which neurons go is shared: silent
 * spiking neurons first, then lower score, then lower index (then earlier layer) — so ties are
 * deterministic — under the {@link RetentionRails}. Pruning is monotone: neurons pruned earlier
 * stay pruned and never count as kept.
 */
public interface RetentionPolicy {

  /** The policy's catalog name. */
  String name();

  /** Selects the neurons to keep. Layer names must be distinct. */
  Retention select(List<LayerScores> layers, RetentionRails rails);
}
