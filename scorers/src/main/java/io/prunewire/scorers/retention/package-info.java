/**
 * Retention: which neurons survive a checkpoint. A {@link
 * io.prunewire.scorers.retention.RetentionPolicy} decides how many neurons each layer (or pool of
 * layers) keeps; a shared selection prunes in a deterministic order (silent spiking neurons, lower
 * score, lower index) under {@link io.prunewire.scorers.retention.RetentionRails} (protected
 * layers, per-layer floor, maximum removed per checkpoint) and never revives a pruned neuron. The
 * result is a keep-mask and a {@link io.prunewire.scorers.retention.Reason} per neuron.
 */
package io.prunewire.scorers.retention;
