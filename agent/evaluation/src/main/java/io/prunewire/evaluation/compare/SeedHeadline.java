package io.prunewire.evaluation.compare;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.Evaluation;
import io.prunewire.trainer.model.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model seed's headline measurements, top to bottom: the cached checkpoint (the {@code dense}
 * reference: the same model trained the same steps, never pruned); one telemetry pass; one-shot
 * pruning of the checkpoint at {@link CompareSettings#HALF} per group without fine-tune by every
 * criterion, by the agent's default fusion and by the other update rules ({@link
 * Scoreboard#headline()}); the two during-training arms ({@link DuringArms}); and a dense model of
 * the pruned size trained from scratch ({@link DenseArms}). Every perplexity is kept window by
 * window, so that the summary can resample the held-out windows.
 *
 * <p>Stored in {@code <out>/seed-<seed>/headline.json} and reused by a later run whose settings
 * give the same {@link CompareSettings#headlineIdentity()}: seeds can run in separate processes
 * (one {@code --model-seeds} value each, same {@code --out}) and a final run gathers them.
 */
final class SeedHeadline {

  static final String FILE = "headline.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One seed's result.
   *
   * @param identity {@link CompareSettings#headlineIdentity()} of the settings that measured it
   * @param row the headline row
   * @param checkpoint the checkpoint's model row (steps, perplexity, cache key)
   * @param pruning one-shot pruning at 50 % without fine-tune, every scorer measured
   * @param schedules the during-training arms and the dense references
   * @param evaluations every headline column's validation evaluation, by column name
   * @param outcome how the default fusion chose its weights on this seed
   * @param fusions how each fusion of the one-shot part chose its criteria, by scorer (empty in
   *     results stored before it was kept)
   */
  record Result(
      String identity,
      long seed,
      HeadlineRows.Row row,
      CompareResult.Model checkpoint,
      List<CompareResult.Pruning> pruning,
      List<CompareResult.Schedule> schedules,
      Map<String, Evaluation> evaluations,
      String outcome,
      double seconds,
      Map<String, String> fusions) {

    Result {
      fusions = fusions == null ? Map.of() : Map.copyOf(fusions);
    }

    /** Whether {@code arm} (a {@link CompareResult.Schedule#arm()}) was measured. */
    boolean has(String arm) {
      return schedules.stream().anyMatch(x -> x.arm().equals(arm));
    }

    /** Whether every arm was measured. */
    boolean complete() {
      return ARMS.stream().allMatch(this::has);
    }

    /**
     * Scorers the one-shot part measures today that this result lacks (a result stored by an older
     * version).
     */
    List<String> missingScorers() {
      List<String> measured = pruning.stream().map(CompareResult.Pruning::scorer).toList();
      return Scoreboard.headlineNames().stream().filter(n -> !measured.contains(n)).toList();
    }

    /**
     * {@code fresh} (a re-measured one-shot part) with this result's arms, their time added to
     * fresh's.
     */
    Result armsOnto(Result fresh) {
      Result r = fresh;
      for (String arm : ARMS) {
        if (has(arm)) {
          CompareResult.Schedule row =
              schedules.stream().filter(x -> x.arm().equals(arm)).findFirst().orElseThrow();
          r = r.with(new MeasuredArm(row, evaluations.get(COLUMN_OF_ARM.get(arm))), 0);
        }
      }
      return new Result(
          r.identity,
          r.seed,
          r.row,
          r.checkpoint,
          r.pruning,
          r.schedules,
          r.evaluations,
          r.outcome,
          r.seconds + seconds,
          r.fusions);
    }

    /**
     * This result without {@code arm} (its row and headline column), carrying {@code newIdentity}:
     * what a run with another {@code agent} arm reuses of a result measured with the default one.
     */
    Result without(String arm, String newIdentity) {
      List<CompareResult.Schedule> rows =
          schedules.stream().filter(x -> !x.arm().equals(arm)).toList();
      Map<String, Evaluation> columns = new LinkedHashMap<>(evaluations);
      columns.remove(COLUMN_OF_ARM.get(arm));
      return withArms(newIdentity, rows, columns, seconds);
    }

    /** This result with {@code arm} added (its row, its headline column, the time it took). */
    Result with(MeasuredArm arm, double armSeconds) {
      List<CompareResult.Schedule> rows = new ArrayList<>(schedules);
      rows.add(arm.row());
      Map<String, Evaluation> columns = new LinkedHashMap<>(evaluations);
      if (arm.evaluation() != null) {
        columns.put(COLUMN_OF_ARM.get(arm.row().arm()), arm.evaluation());
      }
      return withArms(identity, rows, columns, seconds + armSeconds);
    }

    /**
     * This one-shot part with {@code arms} and their {@code columns}; the row follows from them.
     */
    private Result withArms(
        String id,
        List<CompareResult.Schedule> arms,
        Map<String, Evaluation> columns,
        double totalSeconds) {
      return new Result(
          id,
          seed,
          HeadlineRows.row(seed, Names.OUTCOME, pruning, arms),
          checkpoint,
          pruning,
          arms,
          columns,
          outcome,
          totalSeconds,
          fusions);
    }
  }

  private static final Map<String, String> COLUMN_OF_ARM =
      Map.of(
          HeadlineRows.Arms.SMALL_DENSE, HeadlineRows.Columns.SMALL_DENSE,
          HeadlineRows.Arms.AGENT, HeadlineRows.Columns.DURING_DEFAULT,
          HeadlineRows.Arms.GRADUAL_MAGNITUDE, HeadlineRows.Columns.DURING_GMP);

  private SeedHeadline() {}

  /**
   * The seed's result: read when stored complete; otherwise measured, part by part — the one-shot
   * columns, then {@link #ARMS} one at a time — storing after each part, so that an interrupted run
   * resumes with what is missing and a gathering run can summarise what is there.
   */
  static Result obtain(
      CompareSettings s,
      PtbCorpus full,
      MeasuredOnce measuredOnce,
      String commandLine,
      PrintStream out)
      throws Exception {
    java.util.Optional<Result> stored = stored(s);
    if (stored.isEmpty() && s.reuseFrom() != null) {
      stored = reusable(s, out);
    }
    boolean oneShotStored = stored.isPresent() && stored.get().missingScorers().isEmpty();
    if (oneShotStored && stored.get().complete()) {
      out.println(
          "model seed "
              + s.seed()
              + ": headline measured before, read from "
              + s.out().resolve(FILE));
      return stored.get();
    }
    Result r;
    if (oneShotStored) {
      r = stored.get();
      out.println(
          "model seed "
              + s.seed()
              + ": resuming; measured before: "
              + r.schedules().stream().map(CompareResult.Schedule::arm).toList());
    } else if (stored.isPresent()) {
      out.println(
          "model seed "
              + s.seed()
              + ": the stored one-shot part lacks "
              + stored.get().missingScorers()
              + "; measuring it again, keeping the arms measured before");
      r = stored.get().armsOnto(oneShot(s, full, measuredOnce, out));
    } else {
      r = oneShot(s, full, measuredOnce, out);
    }
    store(r, s.out());
    for (String arm : ARMS) {
      if (!r.has(arm)) {
        long t0 = System.nanoTime();
        r = r.with(measureArm(arm, s, full, commandLine, out), (System.nanoTime() - t0) / 1e9);
        store(r, s.out());
      }
    }
    return r;
  }

  /**
   * The result in {@code s.out()}, if one is there for the same seed and {@link
   * CompareSettings#headlineIdentity()}.
   */
  static java.util.Optional<Result> stored(CompareSettings s) throws IOException {
    Path file = s.out().resolve(FILE);
    if (!Files.exists(file)) {
      return java.util.Optional.empty();
    }
    Result r = JSON.readValue(file.toFile(), Result.class);
    return r.identity().equals(s.headlineIdentity()) && r.seed() == s.seed()
        ? java.util.Optional.of(r)
        : java.util.Optional.empty();
  }

  /**
   * What {@code s.reuseFrom()} holds for this seed: the whole result when measured with the same
   * settings; all but the {@code agent} arm when measured with the default arm and otherwise the
   * same settings (the one-shot part, the dense references and gradual magnitude pruning do not
   * depend on the agent arm's fusion). The reports of the reused arms are copied along.
   */
  static java.util.Optional<Result> reusable(CompareSettings s, PrintStream out)
      throws IOException {
    Path folder = s.reuseFrom().resolve("seed-" + s.seed());
    Path file = folder.resolve(FILE);
    if (!Files.exists(file)) {
      out.println("model seed " + s.seed() + ": nothing to reuse, " + file + " does not exist");
      return java.util.Optional.empty();
    }
    Result r = JSON.readValue(file.toFile(), Result.class);
    if (r.seed() == s.seed() && r.identity().equals(s.headlineIdentity())) {
      out.println("model seed " + s.seed() + ": reusing " + file);
      copyArmReports(r, folder, s.out());
      return java.util.Optional.of(r);
    }
    if (r.seed() == s.seed() && s.differsAtMostInAgentArm(r.identity())) {
      out.println(
          "model seed "
              + s.seed()
              + ": reusing "
              + file
              + " except its agent arm, measured there with another arm");
      Result kept = r.without(HeadlineRows.Arms.AGENT, s.headlineIdentity());
      copyArmReports(kept, folder, s.out());
      return java.util.Optional.of(kept);
    }
    out.println(
        "model seed "
            + s.seed()
            + ": nothing to reuse, "
            + file
            + " was measured with other settings");
    return java.util.Optional.empty();
  }

  /** Copies {@code from/schedule-<arm>/} of each arm of {@code r} that has one into {@code to}. */
  private static void copyArmReports(Result r, Path from, Path to) throws IOException {
    for (CompareResult.Schedule arm : r.schedules()) {
      Path source = from.resolve("schedule-" + arm.arm());
      if (!Files.isDirectory(source)) {
        continue;
      }
      try (var files = Files.walk(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = to.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else {
            Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  /**
   * Writes {@code r} into {@code dir} (via a temporary file: a killed run never leaves half a
   * result).
   */
  static void store(Result r, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), r);
    Files.move(
        tmp,
        dir.resolve(FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Result oneShot(
      CompareSettings s, PtbCorpus full, MeasuredOnce measuredOnce, PrintStream out) {
    long start = System.nanoTime();
    Checkpoints.Trained checkpoint = Checkpoints.obtain(s, full, out);
    TelemetryPass.Telemetry t =
        measuredOnce.telemetry(
            checkpoint.dir(),
            full,
            s,
            1,
            s.seed() + 1,
            "telemetry (model seed " + s.seed() + ")",
            out);
    List<LayerSpec> specs = t.layers();
    HeldOutLoss heldOut = measuredOnce.heldOut(checkpoint.dir(), full, s);
    Workload held = heldOut.workload();
    Pruner pruner = new Pruner(checkpoint.dir(), full, s.evalTokens(), specs);
    Map<String, long[]> firing = Compare.firing(t);
    out.println(
        "model seed "
            + s.seed()
            + ": default fusion and criteria at "
            + Cells.percent(CompareSettings.HALF)
            + " ...");
    List<Scoreboard.Scorer> scorers = Compare.scoreboard(t, null, heldOut, pruner).headline();

    Map<String, Evaluation> byScorer = new LinkedHashMap<>();
    List<CompareResult.Pruning> pruning = new ArrayList<>();
    String outcome = "";
    Map<String, String> fusions = new LinkedHashMap<>();
    for (Scoreboard.Scorer sc : scorers) {
      Pruner.Selection sel =
          pruner.select(sc.normalised(), CompareSettings.HALF, Compare.SNN_RATIO, firing);
      Evaluation e = pruner.evaluation(sel.masks());
      byScorer.put(sc.name(), e);
      pruning.add(
          new CompareResult.Pruning(
              sc.name(), sc.kind(), CompareSettings.HALF, sel.removed(), e.perplexity(), null));
      if (sc.name().equals(Names.OUTCOME)) {
        outcome = sc.family();
      }
      if (sc.kind().equals(Names.FUSION)) {
        fusions.put(sc.name(), sc.family());
      }
    }
    Evaluation dense = pruner.evaluation();
    CompareResult.Model model =
        new CompareResult.Model(
            "HSTNN hybrid RNN/SNN, embedding "
                + s.embedding()
                + ", 2 layers x ("
                + s.rnn()
                + " rnn + "
                + s.snn()
                + " snn)",
            s.embedding(),
            s.rnn(),
            s.snn(),
            s.hiddenNeurons(),
            held.network().numParams(),
            s.trainSteps(),
            dense.perplexity(),
            checkpoint.cached(),
            checkpoint.trainSeconds(),
            checkpoint.dir().getFileName().toString());

    List<CompareResult.Schedule> schedules = new ArrayList<>();
    schedules.add(
        new CompareResult.Schedule(
            HeadlineRows.Arms.DENSE,
            "the checkpoint: the same model trained " + s.trainSteps() + " steps, never pruned",
            s.trainSteps(),
            s.hiddenNeurons(),
            dense.perplexity(),
            checkpoint.trainSeconds()));
    HeadlineRows.Row row = HeadlineRows.row(s.seed(), Names.OUTCOME, pruning, schedules);
    Map<String, Evaluation> columns = new LinkedHashMap<>();
    columns.put(HeadlineRows.Columns.DEFAULT, byScorer.get(Names.OUTCOME));
    if (row.bestSingleName() != null) {
      columns.put(HeadlineRows.Columns.BEST_SINGLE, byScorer.get(row.bestSingleName()));
    }
    columns.put(HeadlineRows.Columns.RANDOM, byScorer.get(Names.RANDOM));
    columns.put(HeadlineRows.Columns.HAP, byScorer.get(Names.HAP));
    columns.put(HeadlineRows.Columns.DENSE, dense);
    columns.values().removeIf(java.util.Objects::isNull);
    return new Result(
        s.headlineIdentity(),
        s.seed(),
        row,
        model,
        pruning,
        schedules,
        columns,
        outcome,
        (System.nanoTime() - start) / 1e9,
        fusions);
  }

  /**
   * The arms after the one-shot part, cheapest first: each is a whole training run from scratch.
   */
  static final List<String> ARMS =
      List.of(
          HeadlineRows.Arms.SMALL_DENSE,
          HeadlineRows.Arms.AGENT,
          HeadlineRows.Arms.GRADUAL_MAGNITUDE);

  private static MeasuredArm measureArm(
      String arm, CompareSettings s, PtbCorpus full, String commandLine, PrintStream out)
      throws Exception {
    return arm.equals(HeadlineRows.Arms.SMALL_DENSE)
        ? DenseArms.smallDense(s, full, DuringArms.steps(s))
        : DuringArms.run(arm, s, commandLine, out);
  }
}
