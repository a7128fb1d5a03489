package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.Workload;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What one {@code prunewire compare} process would otherwise measure twice: the first model seed's
 * headline and the full report both run telemetry pass 1 of the same checkpoint and judge the same
 * probed and outcome candidates by their held-out removals. Both measurements are deterministic for
 * a checkpoint, pass and seed (the network is frozen and ND4J is seeded), so reading one back
 * changes no reported number; it only saves the work.
 */
final class MeasuredOnce {

  private record PassKey(Path checkpoint, int k, long seed, int telemetrySteps, int evalTokens) {}

  private record HeldOutKey(Path checkpoint, int evalTokens, int oracleBatches) {}

  private final Map<PassKey, TelemetryPass.Telemetry> passes = new HashMap<>();
  private final Map<HeldOutKey, HeldOutLoss> heldOut = new HashMap<>();

  /**
   * Telemetry pass {@code k} with {@code seed} on {@code checkpoint}, run once.
   *
   * @param label the progress bar's label when the pass runs
   */
  TelemetryPass.Telemetry telemetry(
      Path checkpoint,
      PtbCorpus full,
      CompareSettings s,
      int k,
      long seed,
      String label,
      PrintStream out) {
    PassKey key = new PassKey(checkpoint, k, seed, s.telemetrySteps(), s.evalTokens());
    TelemetryPass.Telemetry done = passes.get(key);
    if (done != null) {
      out.println(label + ": measured before in this run, read back");
      return done;
    }
    try (Progress bar = Progress.start(label, s.telemetrySteps(), " steps")) {
      TelemetryPass.Telemetry t = TelemetryPass.run(checkpoint, full, s, k, seed, bar::stepTo);
      passes.put(key, t);
      return t;
    }
  }

  /**
   * The held-out loss of {@code checkpoint} restored on the held-out batches after the perplexity
   * tokens of the validation split, with every removal measured on it so far.
   */
  HeldOutLoss heldOut(Path checkpoint, PtbCorpus full, CompareSettings s) {
    return heldOut.computeIfAbsent(
        new HeldOutKey(checkpoint, s.evalTokens(), s.oracleBatches()),
        key ->
            new HeldOutLoss(
                Workload.restore(
                    checkpoint,
                    full.slice(
                        0,
                        Checkpoints.tokens(1),
                        s.evalTokens(),
                        Checkpoints.tokens(s.oracleBatches()))),
                s.oracleBatches()));
  }
}
