/**
 * Per-neuron streaming statistics: the summary contract between trainers, the wire protocol and the
 * agent (see {@code docs/ARCHITECTURE.md}).
 *
 * <p>Accumulators ({@link io.prunewire.scorers.stats.Moments}, {@link
 * io.prunewire.scorers.stats.Counts}, {@link io.prunewire.scorers.stats.SignCounts}, {@link
 * io.prunewire.scorers.stats.Histogram}, {@link io.prunewire.scorers.stats.CoActivation}) are
 * struct-of-arrays over the neurons of one layer, hold doubles, and share one shape:
 *
 * <ul>
 *   <li>a constructor for an empty accumulator of {@code N} neurons;
 *   <li>{@code addRows(float[])} / {@code addRows(double[])} for a row-major batch {@code [rows,
 *       N]}, validated completely (length, NaN/Inf) before anything changes;
 *   <li>{@code merge(other)}, order-independent: merging random splits of a stream in any order
 *       equals accumulating the whole stream up to rounding;
 *   <li>raw-array accessors ({@code meanArray()}, ...) returning copies, and a static {@code
 *       of(...)} factory that restores an accumulator from them (for codecs), rejecting bad values
 *       with a message naming the field;
 *   <li>{@code copy()} and value-based {@code equals}.
 * </ul>
 *
 * They are mutable and not thread-safe. Summaries ({@link
 * io.prunewire.scorers.stats.ActivationSummary}, {@link
 * io.prunewire.scorers.stats.GradientSummary}, {@link io.prunewire.scorers.stats.CurvatureSummary})
 * bundle accumulators; {@link io.prunewire.scorers.stats.WeightStatistics} is an immutable
 * snapshot; {@link io.prunewire.scorers.stats.LayerEvidence} is the agent's per-layer state.
 */
package io.prunewire.scorers.stats;
