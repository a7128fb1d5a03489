package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.bench.SyntheticLayer;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.scorers.stats.WeightStatistics;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadEvaluator;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.HutchinsonProbe;
import io.prunewire.trainer.probe.LayerCoordinates;
import io.prunewire.trainer.probe.ProbeEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Section 6: what each criterion costs. Scoring is timed per criterion on reproducible synthetic
 * evidence at each width (the agent's side); collecting evidence is timed on the checkpoint itself
 * (the trainer's side) and, for weight statistics, on random matrices at each width. Medians of
 * repeats measured back to back in this run; the machine's load is in the provenance.
 */
final class Costs {

  private static final int REPEATS = 7;

  private Costs() {}

  static List<CompareResult.ScoringCost> scoring(List<Integer> widths) {
    List<CompareResult.ScoringCost> out = new ArrayList<>();
    List<Criterion> criteria = Criteria.defaults().all();
    for (int width : widths) {
      LayerEvidence ev = new SyntheticLayer(width, width).evidence("synthetic", width, width);
      for (Criterion c : criteria) {
        double[] t = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
          long t0 = System.nanoTime();
          c.score(ev);
          t[r] = (System.nanoTime() - t0) / 1e6;
        }
        out.add(new CompareResult.ScoringCost(c.name(), width, Stats.median(t)));
      }
    }
    return out;
  }

  /**
   * Evidence collection: a frozen training window with and without the listener (from the telemetry
   * pass and a bare pass), one Hutchinson round, one oracle ablation, and weight statistics per
   * width.
   */
  static List<CompareResult.CollectionCost> collection(
      Path checkpoint,
      PtbCorpus full,
      CompareSettings s,
      double[] listenerWindows,
      double oracleMillis) {
    List<CompareResult.CollectionCost> out = new ArrayList<>();
    int steps = Math.max(4, s.telemetrySteps() / 2);
    Workload bare =
        Workload.restore(checkpoint, full.slice(0, Checkpoints.tokens(steps), 0, s.evalTokens()));
    bare.setLearningRate(0);
    List<Double> windows = new ArrayList<>();
    long[] last = {System.nanoTime()};
    bare.trainEpoch(
        p -> {
          long now = System.nanoTime();
          windows.add((now - last[0]) / 1e6);
          last[0] = now;
        });
    double[] bareWindows = windows.stream().mapToDouble(Double::doubleValue).toArray();
    out.add(
        new CompareResult.CollectionCost(
            "training window, no listener",
            "window",
            Stats.median(bareWindows),
            bareWindows.length));
    out.add(
        new CompareResult.CollectionCost(
            "training window with the listener (summaries every window, "
                + "curvature and weight statistics at their cadence)",
            "window",
            Stats.median(listenerWindows),
            listenerWindows.length));
    List<LayerCoordinates> coordinates = new ArrayList<>();
    for (PrunableLayer p : bare.prunableLayers()) {
      coordinates.add(LayerCoordinates.of(bare.network(), p));
    }
    HutchinsonProbe hutchinson =
        HutchinsonProbe.builder().probes(s.probes()).seed(s.seed()).build();
    ProbeEvaluator evaluator = new WorkloadEvaluator(bare, bare.probeBatch(Split.TRAIN, 0));
    double[] rounds = new double[3];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      hutchinson.sample(evaluator, coordinates, r);
      rounds[r] = (System.nanoTime() - t0) / 1e6;
    }
    out.add(
        new CompareResult.CollectionCost(
            "Hutchinson round, " + s.probes() + " probes, all layers",
            "round",
            Stats.median(rounds),
            rounds.length));
    out.add(
        new CompareResult.CollectionCost(
            "oracle: one ablation on " + s.oracleBatches() + " held-out batches",
            "ablation",
            oracleMillis,
            1));
    SplittableRandom random = new SplittableRandom(s.seed());
    for (int width : s.costWidths()) {
      float[] in = new float[width * width];
      float[] outgoing = new float[width * width];
      for (int i = 0; i < in.length; i++) {
        in[i] = (float) random.nextGaussian();
        outgoing[i] = (float) random.nextGaussian();
      }
      double[] t = new double[3];
      for (int r = 0; r < t.length; r++) {
        long t0 = System.nanoTime();
        WeightStatistics.of(in, width, width, outgoing, width);
        t[r] = (System.nanoTime() - t0) / 1e6;
      }
      out.add(
          new CompareResult.CollectionCost(
              "weight statistics incl. exact effective-rank drop, "
                  + width
                  + " neurons x fan-in "
                  + width,
              "layer",
              Stats.median(t),
              t.length));
    }
    return out;
  }
}
