/**
 * Fusion: combining one layer's normalised criteria ({@link
 * io.prunewire.scorers.fusion.CriterionScores}) into one score per neuron ({@link
 * io.prunewire.scorers.fusion.FusedScores}, which carries the weights used). Strategies: {@code
 * simple}, {@code seed}, {@code adaptive} (rank stability) and {@code learned} (online non-negative
 * ridge fit to measured single-neuron and group ablations) and {@code probed} (the mean of criteria
 * chosen by the measured damage of the removals they propose). Stateful strategies expose their
 * state as raw arrays with a {@code restore} factory so the agent can store it.
 */
package io.prunewire.scorers.fusion;
