package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

import io.prunewire.scorers.stats.WeightStatistics;

/**
 * A snapshot of one layer's per-neuron weight statistics (L2, L1, variance, non-zero ratio,
 * entropy, effective-rank drop, outgoing strength) at the header's step. The latest snapshot
 * replaces earlier ones; snapshots are not merged.
 *
 * @param layer the layer's name as declared in {@link RunStarted}
 * @param window training iterations since the previous snapshot (>= 1; informational)
 * @param statistics the snapshot; the event keeps a copy, and its accessor returns that copy (do
 *     not modify its arrays)
 */
public record WeightStatisticsEvent(
    Header header, String layer, int window, WeightStatistics statistics)
    implements LayerSummaryEvent {
  public WeightStatisticsEvent {
    present("WeightStatistics.header", header);
    identifier("WeightStatistics.layer", layer);
    positive("WeightStatistics.window", window);
    statistics = copy(present("WeightStatistics.statistics", statistics));
  }

  @Override
  public EventType type() {
    return EventType.WEIGHT_STATISTICS;
  }

  @Override
  public int neurons() {
    return statistics.neurons();
  }

  private static WeightStatistics copy(WeightStatistics s) {
    return new WeightStatistics(
        s.fanIn(),
        s.fanOut(),
        s.l2().clone(),
        s.l1().clone(),
        s.variance().clone(),
        s.nonZeroRatio().clone(),
        s.entropy().clone(),
        s.effectiveRankDrop().clone(),
        s.outgoing().clone());
  }
}
