/**
 * Per-neuron importance criteria over a layer's {@link io.prunewire.scorers.stats.LayerEvidence}.
 *
 * <p>One small final class per criterion; its Javadoc and {@link
 * io.prunewire.scorers.criteria.Criterion#formula()} state the formula and units. Higher scores
 * mean more important. Scores are raw (units differ between criteria); normalise them per layer
 * with {@code io.prunewire.scorers.normalize} before fusing. {@link
 * io.prunewire.scorers.criteria.Criteria} lists them all by name.
 *
 * <p>Missing evidence: {@link io.prunewire.scorers.criteria.Criterion#available} tells whether a
 * criterion can run; {@link io.prunewire.scorers.criteria.Criterion#score} throws {@link
 * java.lang.IllegalStateException} naming the criterion, the layer and the missing {@link
 * io.prunewire.scorers.criteria.Source}. Degenerate but present evidence (a neuron whose gradient
 * is always zero, a constant activation) gets the documented finite value of each criterion, never
 * NaN. Every criterion costs {@code O(N)} or {@code O(N·k)} for {@code k} co-activation anchors.
 */
package io.prunewire.scorers.criteria;
