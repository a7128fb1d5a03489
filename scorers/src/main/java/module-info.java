/**
 * Prunewire's importance mathematics, without I/O: per-neuron summaries and their merge ({@code
 * stats}), criteria, normalisation, fusion, retention policies, schedules and the catalog of every
 * method with its formula. The shared helpers of {@code io.prunewire.scorers.internal} are not
 * exported.
 */
module io.prunewire.scorers {
  exports io.prunewire.scorers.catalog;
  exports io.prunewire.scorers.criteria;
  exports io.prunewire.scorers.fusion;
  exports io.prunewire.scorers.normalize;
  exports io.prunewire.scorers.retention;
  exports io.prunewire.scorers.schedule;
  exports io.prunewire.scorers.stats;
}
