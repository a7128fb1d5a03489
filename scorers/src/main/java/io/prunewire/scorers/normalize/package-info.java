/**
 * Per-layer normalisation of raw criterion scores, so criteria with different units can be compared
 * and fused. Every normaliser is a monotone non-decreasing map into {@code [0, 1]}: it never
 * reorders neurons, only rescales.
 *
 * <p>Rules shared by all normalisers:
 *
 * <ul>
 *   <li><b>Constant scores</b> (every neuron equal, including a single neuron) map to 0.5: the
 *       criterion carries no information about this layer and must not push any neuron.
 *   <li><b>Negative values</b>, e.g. Hutchinson traces and HAP scores when the sampled curvature is
 *       negative, are kept signed, as HAP is published; since the maps are monotone a negative
 *       score simply ranks below every positive one (pruned first). No absolute value is taken.
 *   <li><b>Bad input</b>: an empty array or a NaN/infinite score throws {@link
 *       java.lang.IllegalArgumentException} naming the layer and the neuron.
 * </ul>
 */
package io.prunewire.scorers.normalize;
