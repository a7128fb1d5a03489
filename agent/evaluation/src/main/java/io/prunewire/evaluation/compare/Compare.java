package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.Provenance;
import io.prunewire.evaluation.progress.Progress;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.fusion.Spearman;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.stats.LayerEvidence;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.network.PrunableLayer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code prunewire compare} run, top to bottom: the cached checkpoint; telemetry passes (one
 * per seed); the ground truth; then the report's sections in order — ranking diagnostic, pruning at
 * each fraction (with and without fine-tune) and the snn_ratio rule, progressive validation,
 * stability across seeds, cost, and pruning during training against one-shot and gradual magnitude
 * pruning at equal training steps.
 */
public final class Compare {

  /** Per-layer normalisation of every criterion: the agent's default. */
  private static final Normalizer NORMALIZER = Normalizers.byName("rank");

  /**
   * snn_ratio of every selection except the HSTNN rule's own rows: equal halves, as the model is
   * built.
   */
  static final double SNN_RATIO = 0.5;

  /**
   * Criteria computed from the weights alone: identical in every telemetry pass of a frozen
   * checkpoint.
   */
  private static final List<String> WEIGHT_ONLY =
      Scoreboard.criteriaOf(java.util.Set.of(io.prunewire.scorers.criteria.Source.WEIGHTS));

  /**
   * Scorers of the snn_ratio rows: HSTNN's own criterion, the learned and probed fusions and the
   * oracle.
   */
  private static final List<String> SNN_RULE =
      List.of(Names.HAP, Names.LEARNED, Names.PROBED, Names.ORACLE);

  private final CompareSettings s;
  private final PrintStream out;

  private Compare(CompareSettings s, PrintStream out) {
    this.s = s;
    this.out = out;
  }

  /**
   * Runs the comparison, writes the report, plots and raw numbers into {@code s.out()}, then prints
   * the report's headline paragraph and its path; returns the report.
   *
   * @param args the command's arguments as typed, from its name on; the reports record them without
   *     local paths ({@link RecordedArgs})
   */
  public static Path run(CompareSettings s, List<String> args, PrintStream out) throws Exception {
    String commandLine = "prunewire " + String.join(" ", RecordedArgs.of(args));
    Path report = new Compare(s, out).execute(commandLine);
    out.println();
    String text = Files.readString(report);
    int headline = text.indexOf("**Headline.**");
    if (headline >= 0) {
      int end = text.indexOf("\n\n", headline);
      out.println(text.substring(headline, end < 0 ? text.length() : end).trim());
    }
    out.println("report: " + report.toAbsolutePath());
    return report;
  }

  private Path execute(String commandLine) throws Exception {
    long start = System.nanoTime();
    // Before anything is written: a results folder inside the repository would otherwise mark it
    // changed.
    String commit = commit(s.out());
    PtbCorpus full = PtbCorpus.load();
    List<SeedHeadline.Result> seeds = new ArrayList<>();
    MeasuredOnce measuredOnce = new MeasuredOnce();
    for (long seed : s.modelSeeds()) {
      CompareSettings one = s.forSeed(seed, s.out().resolve("seed-" + seed));
      if (!s.gatherOnly()) {
        seeds.add(SeedHeadline.obtain(one, full, measuredOnce, commandLine, out));
      } else {
        java.util.Optional<SeedHeadline.Result> stored = SeedHeadline.stored(one);
        stored.ifPresent(seeds::add);
        out.println(
            "model seed "
                + seed
                + ": "
                + (stored.isEmpty()
                    ? "nothing measured with these settings"
                    : (stored.get().complete()
                            ? "complete"
                            : "measured "
                                + stored.get().schedules().stream()
                                    .map(CompareResult.Schedule::arm)
                                    .toList())
                        + (stored.get().missingScorers().isEmpty()
                            ? ""
                            : "; not measured: " + stored.get().missingScorers())));
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalStateException(
          "compare: no seed of "
              + s.modelSeeds()
              + " has results in "
              + s.out()
              + " measured with these settings");
    }
    HeadlineRows headline = headline(seeds, s.agentArm(), s.trainSteps());
    if (s.headlineOnly() || s.gatherOnly()) {
      return HeadlineReport.write(
          provenance(commandLine, commit, null, (System.nanoTime() - start) / 1e9),
          seeds,
          headline,
          s.gatherOnly(),
          s.out());
    }
    SeedHeadline.Result measured = seeds.get(0);
    Checkpoints.Trained checkpoint = Checkpoints.obtain(s, full, out);

    List<TelemetryPass.Telemetry> passes = new ArrayList<>();
    for (int k = 1; k <= s.seeds(); k++) {
      passes.add(
          measuredOnce.telemetry(
              checkpoint.dir(),
              full,
              s,
              k,
              s.seed() + k,
              "telemetry pass " + k + "/" + s.seeds(),
              out));
    }
    TelemetryPass.Telemetry first = passes.get(0);
    List<LayerSpec> specs = first.layers();

    HeldOutLoss heldOut = measuredOnce.heldOut(checkpoint.dir(), full, s);
    Workload held = heldOut.workload();
    requireSameLayers(specs, held);
    GroundTruth truth =
        GroundTruth.measure(
            heldOut, specs, s.groupAblations(), s.fractions(), s.oracleNeurons(), s.seed());

    Pruner pruner = new Pruner(checkpoint.dir(), full, s.evalTokens(), specs);
    out.println("probed fusion: forward selection of criteria by held-out removals ...");
    Scoreboard board = scoreboard(first, truth, heldOut, pruner);
    List<Scoreboard.Scorer> scorers = board.all();
    double reference = pruner.perplexity();
    out.printf(java.util.Locale.ROOT, "checkpoint validation perplexity %.2f%n", reference);

    List<CompareResult.Ranking> ranking = new ArrayList<>();
    for (Scoreboard.Scorer sc : scorers) {
      ranking.add(ranking(sc, specs, truth));
    }
    Map<String, long[]> firing = firing(first);
    List<CompareResult.Pruning> pruning = pruning(scorers, pruner, firing);
    List<CompareResult.SnnRatio> snn = snnRatios(scorers, pruner, firing);
    out.println("progressive validation ...");
    List<CompareResult.Progressive> progressive =
        progressive(board.progressive(), specs, truth, pruner, firing);
    out.println("stability over " + passes.size() + " telemetry seeds ...");
    List<CompareResult.Stability> stability = stability(passes, scorers, truth, heldOut, pruner);
    out.println("measuring costs ...");
    List<CompareResult.ScoringCost> scoringCost = Costs.scoring(s.costWidths());
    List<CompareResult.CollectionCost> collectionCost =
        Costs.collection(checkpoint.dir(), full, s, first.windowMillis(), truth.millisPerAblation);
    List<CompareResult.Schedule> schedules = new ArrayList<>(measured.schedules());
    schedules.add(oneShot(scorers, pruner, firing));

    CompareResult result =
        new CompareResult(
            provenance(commandLine, commit, checkpoint, (System.nanoTime() - start) / 1e9),
            s.fractions(),
            model(checkpoint, held, reference),
            groups(specs),
            oracle(specs, truth),
            ranking,
            pruning,
            snn,
            progressive,
            stability,
            scoringCost,
            collectionCost,
            schedules,
            headline);
    return CompareReport.write(result, s.out());
  }

  /** Every seed's row and the summary over them (none for a single seed). */
  private static HeadlineRows headline(
      List<SeedHeadline.Result> seeds, AgentArm arm, int trainSteps) {
    List<HeadlineRows.Row> rows = seeds.stream().map(SeedHeadline.Result::row).toList();
    HeadlineSummary summary =
        seeds.size() < 2
            ? null
            : HeadlineSummary.of(
                rows, seeds.stream().map(SeedHeadline.Result::evaluations).toList());
    return new HeadlineRows(
        CompareSettings.HALF,
        Names.OUTCOME,
        arm.fusion(),
        arm.describe(trainSteps).orElse(null),
        rows,
        summary);
  }

  private static void requireSameLayers(List<LayerSpec> specs, Workload w) {
    List<String> published = specs.stream().map(LayerSpec::name).toList();
    List<String> prunable = w.prunableLayers().stream().map(PrunableLayer::name).toList();
    if (!published.equals(prunable)) {
      throw new IllegalStateException(
          "compare: the listener announced layers "
              + published
              + " but the network's prunable layers are "
              + prunable);
    }
  }

  /**
   * The scorers of one telemetry pass. The probed fusion judges a candidate by the held-out loss
   * change of the removal it selects at half the hidden neurons, the fraction the schedules prune
   * to.
   */
  static Scoreboard scoreboard(
      TelemetryPass.Telemetry t, GroundTruth truth, HeldOutLoss heldOut, Pruner pruner) {
    Map<String, long[]> fired = firing(t);
    return new Scoreboard(
        t,
        truth,
        NORMALIZER,
        scores ->
            heldOut.deltaLoss(
                pruner.select(scores, CompareSettings.HALF, SNN_RATIO, fired).masks(), t.layers()));
  }

  /** Spike counts of the spiking layers in a pass: silent neurons are free to prune. */
  static Map<String, long[]> firing(TelemetryPass.Telemetry t) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (LayerSpec l : t.layers()) {
      LayerEvidence ev = t.evidence().get(l.name());
      if (l.kind() == LayerKind.SNN && ev.activation().isPresent()) {
        out.put(l.name(), ev.activation().get().nonZero().countArray());
      }
    }
    return out;
  }

  // Section 2 ------------------------------------------------------------------------------------

  private CompareResult.Ranking ranking(
      Scoreboard.Scorer sc, List<LayerSpec> specs, GroundTruth truth) {
    Map<String, Double> perGroup = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<double[]> normalised = new ArrayList<>();
    List<double[]> raw = new ArrayList<>();
    List<double[]> target = new ArrayList<>();
    for (LayerSpec l : specs) {
      // Only measured neurons count: a sampled oracle leaves the others NaN.
      int[] measured = measured(truth.singles.get(l.name()));
      double[] x = at(sc.normalised().get(l.name()), measured);
      double[] y = at(truth.singles.get(l.name()), measured);
      perGroup.put(l.name(), defined(Spearman.of(x, y), l.name(), y, notes));
      normalised.add(at(NORMALIZER.normalize(l.name(), sc.normalised().get(l.name())), measured));
      raw.add(
          sc.raw() == null || sc.raw().get(l.name()) == null
              ? null
              : at(sc.raw().get(l.name()), measured));
      target.add(y);
    }
    double[] y = concat(target);
    double[] xn = concat(normalised);
    Double pooledNormalised = defined(Spearman.of(xn, y), "pooled", y, notes);
    Double pooledRaw = null;
    if (sc.raw() != null) {
      if (raw.contains(null)) {
        notes.add("pooled raw: some layer lacks the evidence");
      } else {
        double[] xr = concat(raw);
        pooledRaw = defined(Spearman.of(xr, y), "pooled raw", y, notes);
      }
    }
    return new CompareResult.Ranking(
        sc.name(),
        sc.kind(),
        sc.family(),
        perGroup,
        pooledNormalised,
        pooledRaw,
        String.join("; ", notes));
  }

  private static int[] measured(double[] oracle) {
    return java.util.stream.IntStream.range(0, oracle.length)
        .filter(i -> !Double.isNaN(oracle[i]))
        .toArray();
  }

  private static double[] at(double[] v, int[] indices) {
    double[] out = new double[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = v[indices[k]];
    }
    return out;
  }

  private static Double defined(double rho, String where, double[] y, List<String> notes) {
    if (!Double.isNaN(rho)) {
      return rho;
    }
    notes.add(
        where
            + ": "
            + (y.length < 2
                ? "fewer than 2 measured neurons"
                : constant(y)
                    ? "oracle Δloss constant (" + y[0] + ", e.g. silent spiking neurons)"
                    : "scores constant"));
    return null;
  }

  private static boolean constant(double[] v) {
    for (double d : v) {
      if (d != v[0]) {
        return false;
      }
    }
    return true;
  }

  private static double[] concat(List<double[]> parts) {
    double[] all = new double[parts.stream().mapToInt(p -> p.length).sum()];
    int k = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, all, k, p.length);
      k += p.length;
    }
    return all;
  }

  // Section 3 ------------------------------------------------------------------------------------

  private List<CompareResult.Pruning> pruning(
      List<Scoreboard.Scorer> scorers, Pruner pruner, Map<String, long[]> firing) {
    List<CompareResult.Pruning> rows = new ArrayList<>();
    long work = (long) scorers.size() * s.fractions().size();
    try (Progress bar = Progress.start("prune and evaluate", work, " prunings")) {
      for (Scoreboard.Scorer sc : scorers) {
        for (double f : s.fractions()) {
          Pruner.Selection sel = pruner.select(sc.normalised(), f, SNN_RATIO, firing);
          double ppl = pruner.perplexity(sel.masks());
          Double tuned =
              s.fineTuned().contains(sc.name())
                  ? pruner.fineTuned(sel.masks(), s.fineTuneSteps())
                  : null;
          rows.add(new CompareResult.Pruning(sc.name(), sc.kind(), f, sel.removed(), ppl, tuned));
          bar.step();
          bar.setExtraMessage(" " + sc.name());
        }
      }
    }
    return rows;
  }

  private List<CompareResult.SnnRatio> snnRatios(
      List<Scoreboard.Scorer> scorers, Pruner pruner, Map<String, long[]> firing) {
    List<Scoreboard.Scorer> ruled =
        scorers.stream()
            .filter(sc -> SNN_RULE.contains(sc.name()) && s.fineTuned().contains(sc.name()))
            .toList();
    List<CompareResult.SnnRatio> rows = new ArrayList<>();
    try (Progress bar =
        Progress.start("snn_ratio rule", (long) ruled.size() * s.snnRatios().size(), " prunings")) {
      for (Scoreboard.Scorer sc : ruled) {
        for (double r : s.snnRatios()) {
          Pruner.Selection sel = pruner.select(sc.normalised(), CompareSettings.HALF, r, firing);
          rows.add(
              new CompareResult.SnnRatio(
                  sc.name(),
                  r,
                  CompareSettings.HALF,
                  sel.keptSpiking(),
                  sel.keptAnalog(),
                  pruner.perplexity(sel.masks()),
                  pruner.fineTuned(sel.masks(), s.fineTuneSteps())));
          bar.step();
        }
      }
    }
    return rows;
  }

  // Section 4 ------------------------------------------------------------------------------------

  private List<CompareResult.Progressive> progressive(
      List<Scoreboard.Scorer> stages,
      List<LayerSpec> specs,
      GroundTruth truth,
      Pruner pruner,
      Map<String, long[]> firing) {
    List<CompareResult.Progressive> rows = new ArrayList<>();
    Scoreboard.Stage[] order = Scoreboard.STAGES.toArray(new Scoreboard.Stage[0]);
    for (int i = 0; i < stages.size(); i++) {
      Scoreboard.Scorer sc = stages.get(i);
      Scoreboard.Stage stage = order[i / 2];
      List<Double> ppl = new ArrayList<>();
      for (double f : s.fractions()) {
        ppl.add(pruner.perplexity(pruner.select(sc.normalised(), f, SNN_RATIO, firing).masks()));
      }
      CompareResult.Ranking r = ranking(sc, specs, truth);
      rows.add(
          new CompareResult.Progressive(
              stage.name(),
              Scoreboard.criteriaOf(stage.sources()),
              sc.name(),
              r.pooledNormalised(),
              ppl));
    }
    return rows;
  }

  // Section 5 ------------------------------------------------------------------------------------

  /**
   * @param firstScorers the scorers of the first pass, already computed (the probed search is
   *     costly)
   */
  private List<CompareResult.Stability> stability(
      List<TelemetryPass.Telemetry> passes,
      List<Scoreboard.Scorer> firstScorers,
      GroundTruth truth,
      HeldOutLoss heldOut,
      Pruner pruner) {
    List<List<Scoreboard.Scorer>> bySeed = new ArrayList<>();
    List<Map<String, long[]>> firing = new ArrayList<>();
    for (TelemetryPass.Telemetry t : passes) {
      bySeed.add(bySeed.isEmpty() ? firstScorers : scoreboard(t, truth, heldOut, pruner).all());
      firing.add(firing(t));
    }
    List<CompareResult.Stability> rows = new ArrayList<>();
    List<LayerSpec> specs = passes.get(0).layers();
    for (int c = 0; c < bySeed.get(0).size(); c++) {
      String name = bySeed.get(0).get(c).name();
      if (name.equals(Names.ORACLE)) {
        rows.add(
            new CompareResult.Stability(
                name,
                passes.size(),
                CompareSettings.HALF,
                null,
                null,
                "measured once on fixed held-out batches; it does not depend on the telemetry seed"));
        continue;
      }
      double tauSum = 0;
      int tauCount = 0;
      double jaccardSum = 0;
      int pairs = 0;
      List<io.prunewire.trainer.mask.NeuronMasks> kept = new ArrayList<>();
      for (int k = 0; k < passes.size(); k++) {
        kept.add(
            pruner
                .select(
                    bySeed.get(k).get(c).normalised(),
                    CompareSettings.HALF,
                    SNN_RATIO,
                    firing.get(k))
                .masks());
      }
      for (int a = 0; a < passes.size(); a++) {
        for (int b = a + 1; b < passes.size(); b++) {
          Scoreboard.Scorer x = bySeed.get(a).get(c);
          Scoreboard.Scorer y = bySeed.get(b).get(c);
          for (LayerSpec l : specs) {
            double tau =
                Agreement.kendallTauB(x.normalised().get(l.name()), y.normalised().get(l.name()));
            if (!Double.isNaN(tau)) {
              tauSum += tau;
              tauCount++;
            }
          }
          jaccardSum += Agreement.jaccardOfKept(kept.get(a), kept.get(b));
          pairs++;
        }
      }
      String note =
          tauCount == 0
              ? "every layer's scores constant in every pass"
              : WEIGHT_ONLY.contains(name)
                  ? "weights are frozen during the telemetry passes, so this ranking cannot vary;"
                      + " kept sets still can, through the spiking neurons each pass saw silent (pruned first)"
                  : "";
      rows.add(
          new CompareResult.Stability(
              name,
              passes.size(),
              CompareSettings.HALF,
              tauCount == 0 ? null : tauSum / tauCount,
              jaccardSum / pairs,
              note));
    }
    return rows;
  }

  // Section 7 ------------------------------------------------------------------------------------

  /**
   * One-shot pruning after training, for section 7: the trained checkpoint pruned once to {@link
   * CompareSettings#HALF} by the learned fusion, then fine-tuned {@code fineTuneSteps} — that many
   * steps more than the during-training arms ({@link DuringArms}) and the dense references.
   */
  private CompareResult.Schedule oneShot(
      List<Scoreboard.Scorer> scorers, Pruner pruner, Map<String, long[]> firing) {
    Scoreboard.Scorer learned =
        scorers.stream().filter(sc -> sc.name().equals(Names.LEARNED)).findFirst().orElseThrow();
    long t0 = System.nanoTime();
    Pruner.Selection sel =
        pruner.select(learned.normalised(), CompareSettings.HALF, SNN_RATIO, firing);
    double ppl = pruner.fineTuned(sel.masks(), s.fineTuneSteps());
    return new CompareResult.Schedule(
        "one-shot",
        "the trained checkpoint ("
            + s.trainSteps()
            + " steps) pruned"
            + " once by the learned fusion, then fine-tuned "
            + s.fineTuneSteps()
            + " steps",
        s.trainSteps() + s.fineTuneSteps(),
        s.hiddenNeurons() - sel.removed(),
        ppl,
        (System.nanoTime() - t0) / 1e9);
  }

  // Setup ----------------------------------------------------------------------------------------

  private CompareResult.Model model(Checkpoints.Trained c, Workload held, double reference) {
    return new CompareResult.Model(
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
        reference,
        c.cached(),
        c.trainSeconds(),
        c.dir().getFileName().toString());
  }

  private static List<CompareResult.Group> groups(List<LayerSpec> specs) {
    return specs.stream()
        .map(
            l ->
                new CompareResult.Group(
                    l.name(), l.kind() == LayerKind.SNN ? "spiking" : "rnn", l.neurons()))
        .toList();
  }

  private CompareResult.Oracle oracle(List<LayerSpec> specs, GroundTruth truth) {
    List<CompareResult.SingleAblation> singles = new ArrayList<>();
    truth.singles.forEach(
        (layer, d) -> {
          for (int i = 0; i < d.length; i++) {
            if (!Double.isNaN(d[i])) {
              singles.add(new CompareResult.SingleAblation(layer, i, d[i]));
            }
          }
        });
    List<CompareResult.GroupAblation> groups =
        truth.groups.stream()
            .map(
                g ->
                    new CompareResult.GroupAblation(
                        g.members().size(), g.deltaLoss(), truth.sumOfSingles(g, specs)))
            .toList();
    return new CompareResult.Oracle(
        s.oracleBatches(), truth.tokens, truth.intactLoss, truth.sampled, singles, groups);
  }

  /**
   * The git commit of the working directory, with "+changes" when tracked files differ from it;
   * "unknown" outside git.
   */
  /**
   * The checked-out commit, with "+changes" when tracked files differ from it; the report's own
   * directory does not count, so re-gathering committed results stays attributed to the commit.
   */
  private static String commit(Path reportDir) {
    try {
      Process head =
          new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
              .redirectErrorStream(true)
              .start();
      String hash =
          new String(head.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      if (head.waitFor() != 0) {
        return "unknown";
      }
      List<String> command =
          new ArrayList<>(List.of("git", "status", "--porcelain", "--untracked-files=no"));
      Path here = Path.of("").toAbsolutePath();
      Path report = reportDir.toAbsolutePath().normalize();
      if (report.startsWith(here)) {
        command.addAll(List.of("--", ":/", ":(exclude)" + here.relativize(report)));
      }
      Process status = new ProcessBuilder(command).redirectErrorStream(true).start();
      boolean dirty = status.getInputStream().readAllBytes().length > 0;
      status.waitFor();
      return dirty ? hash + "+changes" : hash;
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * @param c the full report's checkpoint; {@code null} for a headline-only run (each seed has its
   *     own)
   */
  private Map<String, Object> provenance(
      String commandLine, String commit, Checkpoints.Trained c, double seconds) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("command", commandLine);
    p.put("finished", Instant.now().toString());
    p.put("settings", s.toString());
    if (c != null) {
      p.put("model", c.config().toString());
    }
    p.put("model_seeds", s.modelSeeds());
    if (!s.headlineOnly() && !s.gatherOnly()) {
      p.put("full_report_model_seed", s.seed());
      List<Long> seeds = new ArrayList<>();
      for (int k = 1; k <= s.seeds(); k++) {
        seeds.add(s.seed() + k);
      }
      p.put("telemetry_seeds", seeds);
      p.put("fine_tuned_scorers", s.fineTuned());
    }
    p.put("normalizer", NORMALIZER.name());
    p.put("commit", commit);
    p.put("ptb_sha256", Provenance.ptbChecksum());
    p.put("machine", Provenance.machine());
    p.put("load_average", Provenance.loadAverage());
    p.put("wall_seconds", Math.round(seconds * 10) / 10.0);
    return p;
  }
}
