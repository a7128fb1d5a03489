package io.prunewire.cli;

import io.prunewire.evaluation.compare.AgentArm;
import io.prunewire.evaluation.compare.Compare;
import io.prunewire.evaluation.compare.CompareSettings;
import io.prunewire.evaluation.demo.RecoveryWindows;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire compare}: measured pruning quality of every criterion, fusion and schedule. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure how well every criterion and fusion of the scorers library prunes the HSTNN hybrid RNN/SNN model"
          + " on Penn Treebank, against the single-ablation oracle and the Hessian-trace (HAP) baseline:",
      "  1 ground truth: Δloss of removing each hidden neuron alone (held-out validation batches), and random"
          + " groups removed together;",
      "  2 Spearman of every scorer against it, per layer-and-type group and pooled; scorers are every criterion,"
          + " the fusions simple, seed, adaptive, learned (fitted to the ablations, cross-fitted) and probed"
          + " (criteria chosen by the held-out damage of the removals they propose at 50 %%), and the oracle;",
      "  3 validation perplexity after pruning each fraction by each scorer, without and with a short fine-tune,"
          + " and HSTNN's snn_ratio rule;",
      "  4 progressive validation (weights -> + activations -> + gradients -> full fusion);",
      "  5 stability over telemetry seeds (Kendall tau, Jaccard of kept sets);",
      "  6 cost of each criterion and how it scales with width;",
      "  7 pruning during training by the agent vs one-shot vs gradual magnitude at equal training steps.",
      "First, on every --model-seeds seed, the headline: the agent's default fusion, the best single criterion,"
          + " random and HAP pruning the trained checkpoint to 50 %% once; the agent pruning during training (default"
          + " fusion; gradual magnitude pruning); the dense model and a dense model of the pruned size trained from"
          + " scratch; medians over seeds with bootstrap intervals. Sections 1-7 are then measured on the first seed"
          + " (skip them with --headline-only).",
      "Trained checkpoints are cached (--cache-dir), keyed by model, budget and seed, and reused by later runs;"
          + " each seed's headline is kept in --out/seed-<seed>/ and reused by a later run with the same settings,"
          + " so seeds can run in parallel processes (one --model-seeds value each, same --out, then --gather-only"
          + " with all of them writes the report); an interrupted seed resumes with the parts it lacks. Writes report.md, PNG plots, CSV files and results.json into --out.",
      "The defaults train 2 x (128 + 128) for three epochs of PTB per seed: several hours on 2 cores for three seeds;"
          + " --quick is a few minutes on a tiny model and one seed.",
      "",
      "Examples:",
      "  prunewire compare --quick",
      "  prunewire compare --out docs/results/compare",
      "  prunewire compare --headline-only --model-seeds 2 --out runs/cmp   (one seed per process, then:)",
      "  prunewire compare --headline-only --gather-only --model-seeds 1,2,3 --out runs/cmp",
      "  prunewire compare --rnn 64 --snn 64 --train-steps 1000 --fine-tuned hap,learned,oracle,random",
      "  prunewire compare --headline-only --model-seeds 2 --agent-fusion criterion:fisher --out runs/fisher",
      ""
    })
public final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Tiny model and budgets for a check in a few minutes; explicit options win.")
  boolean quick;

  @Option(names = "--embedding", description = "Embedding width (default: 128; --quick: 32).")
  Integer embedding;

  @Option(
      names = "--rnn",
      description = "RNN neurons per hybrid layer (default: 128; --quick: 16).")
  Integer rnn;

  @Option(
      names = "--snn",
      description = "Spiking neurons per hybrid layer (default: 128; --quick: 16).")
  Integer snn;

  @Option(
      names = "--train-steps",
      description =
          "Training windows (35 x 25 tokens) of the checkpoint and of every"
              + " during-training arm, over as many epochs of PTB as they span; an epoch is 1063 windows (default: 3189, three epochs;"
              + " --quick: 30).")
  Integer trainSteps;

  @Option(
      names = "--eval-tokens",
      description = "Validation tokens of every perplexity (default: 8000; --quick: 500).")
  Integer evalTokens;

  @Option(
      names = "--eval-batch",
      description =
          "Parallel streams of every perplexity; the reference uses 10, more"
              + " are faster (default: 50).")
  Integer evalBatch;

  @Option(
      names = "--oracle-batches",
      description =
          "Held-out validation batches (25 x 35 tokens, after the"
              + " perplexity tokens) of the single-ablation oracle (default: 4; --quick: 1).")
  Integer oracleBatches;

  @Option(
      names = "--oracle-neurons",
      description =
          "Measure only this many neurons alone, a seeded sample"
              + " stratified by layer, for large models (the oracle costs one forward pass per neuron and held-out batch);"
              + " the oracle is then a diagnostic only, not a pruning criterion (default: 0 = every neuron).")
  Integer oracleNeurons;

  @Option(
      names = "--group-ablations",
      description =
          "Random group ablations per fold; sizes cycle through the"
              + " fractions (default: 24; --quick: 6).")
  Integer groupAblations;

  @Option(
      names = "--telemetry-steps",
      description = "Frozen training windows per telemetry pass (default: 60;" + " --quick: 8).")
  Integer telemetrySteps;

  @Option(
      names = "--seeds",
      description = "Telemetry passes with different seeds, >= 3 (default: 3).")
  Integer seeds;

  @Option(
      names = "--probes",
      description = "Hutchinson probes per curvature round (default: 16; --quick: 4).")
  Integer probes;

  @Option(
      names = "--fine-tune-steps",
      description =
          "Training windows of the fixed fine-tune after pruning" + " (default: 40; --quick: 2).")
  Integer fineTuneSteps;

  @Option(
      names = "--fine-tuned",
      split = ",",
      paramLabel = "SCORER",
      description =
          "Scorers fine-tuned at every"
              + " fraction; hap, learned, probed and oracle among them also get the snn_ratio rows (default: oracle,random,"
              + "magnitude,hap,simple,learned,probed; --quick: oracle,random,hap,learned,probed).")
  List<String> fineTuned;

  @Option(
      names = "--fractions",
      split = ",",
      description =
          "Fractions of hidden neurons pruned, ascending, must"
              + " include 0.5 (default: 0.1,0.3,0.5,0.7).")
  List<Double> fractions;

  @Option(
      names = "--snn-ratios",
      split = ",",
      description = "HSTNN snn_ratio values at 50 %% pruned" + " (default: 0.1,0.5,0.9).")
  List<Double> snnRatios;

  @Option(
      names = "--checkpoints",
      description =
          "Pruning checkpoints of the during-training arms (default: 4;" + " --quick: 2).")
  Integer checkpoints;

  @Option(
      names = "--cost-widths",
      split = ",",
      description =
          "Layer widths of the cost scaling" + " (default: 64,128,256,512; --quick: 32,64,128).")
  List<Integer> costWidths;

  @Option(
      names = "--agent-fusion",
      paramLabel = "FUSION",
      description =
          "Fusion of the during-training arm 'agent' (the headline's during_default): outcome,"
              + " learned, simple, seed, adaptive or criterion:<name> (default: outcome, the"
              + " agent's default). A stored seed result is reused only with the same arm.")
  String agentFusion;

  @Option(
      names = "--recovery-steps",
      paramLabel = "N",
      description =
          "With --agent-fusion outcome: training steps between a removal candidate and its"
              + " measurement, continuing from the training optimiser's state; 0 measures the"
              + " immediate damage (default: 100, at most a tenth of --train-steps).")
  Integer recoverySteps;

  @Option(
      names = "--recovery-windows",
      paramLabel = "test|train",
      description =
          RecoveryWindowsHelp.DESCRIPTION
              + " (default: train). The default arm before 2026-12-07 was"
              + " --recovery-steps 20 --recovery-windows test.")
  String recoveryWindows;

  @Option(
      names = "--model-seeds",
      split = ",",
      description =
          "Model seeds of the headline (weights, dropout, oracle"
              + " folds and groups); the full report is measured on the first (default: 1,2,3; --quick: 1).")
  List<Long> modelSeeds;

  @Option(
      names = "--headline-only",
      description = "Measure only the headline on every seed, not sections 1-7.")
  boolean headlineOnly;

  @Option(
      names = "--gather-only",
      description =
          "Measure nothing: summarise what --out/seed-<seed>/ holds for the"
              + " --model-seeds (measured by other processes with the same settings, finished or not) into a headline"
              + " report.")
  boolean gatherOnly;

  @Option(
      names = "--cache-dir",
      description =
          "Where trained checkpoints are cached"
              + " (default: $XDG_CACHE_HOME/prunewire or ~/.cache/prunewire).")
  Path cacheDir;

  @Option(
      names = "--reuse-from",
      paramLabel = "DIR",
      description =
          "Another results folder (an earlier --out): its seeds are reused where they were measured"
              + " with the same settings, and with another --agent-fusion all but the agent arm is"
              + " reused from seeds measured with the default one, so a variant of the"
              + " during-training arm costs one arm per seed (default: none).")
  Path reuseFrom;

  @Option(names = "--out", description = "Results folder (default: runs/compare-<timestamp>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    CompareSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Compare.run(settings, spec.commandLine().getParseResult().originalArgs(), System.out);
    return 0;
  }

  /** The options with their defaults (--quick's where it is given); fails naming a bad value. */
  private CompareSettings settings() {
    return new CompareSettings(
        or(embedding, 128, 32),
        or(rnn, 128, 16),
        or(snn, 128, 16),
        or(trainSteps, 3189, 30),
        or(evalTokens, 8000, 500),
        or(evalBatch, 50, 50),
        or(oracleBatches, 4, 1),
        or(oracleNeurons, 0, 0),
        or(groupAblations, 24, 6),
        or(telemetrySteps, 60, 8),
        or(seeds, 3, 3),
        or(probes, 16, 4),
        or(fineTuneSteps, 40, 2),
        fineTuned != null
            ? fineTuned
            : quick
                ? List.of("oracle", "random", "hap", "learned", "probed")
                : List.of("oracle", "random", "magnitude", "hap", "simple", "learned", "probed"),
        fractions != null ? fractions : List.of(0.1, 0.3, 0.5, 0.7),
        snnRatios != null ? snnRatios : List.of(0.1, 0.5, 0.9),
        or(checkpoints, 4, 2),
        agentArm(or(trainSteps, 3189, 30)),
        costWidths != null ? costWidths : quick ? List.of(32, 64, 128) : List.of(64, 128, 256, 512),
        seeds().get(0),
        seeds(),
        headlineOnly,
        gatherOnly,
        cacheDir != null ? cacheDir : defaultCache(),
        reuseFrom,
        out != null
            ? out
            : Path.of(
                "runs",
                "compare-"
                    + LocalDateTime.now(ZoneId.systemDefault())
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
  }

  private AgentArm agentArm(int steps) {
    AgentArm defaults = AgentArm.defaults(steps);
    String fusion = agentFusion != null ? agentFusion : defaults.fusion();
    boolean defaultFusion = fusion.equals(defaults.fusion());
    int recovery =
        recoverySteps != null ? recoverySteps : defaultFusion ? defaults.recoverySteps() : 0;
    RecoveryWindows windows =
        recoveryWindows != null
            ? RecoveryWindows.parse(recoveryWindows)
            : defaultFusion && recovery > 0 ? defaults.recoveryWindows() : RecoveryWindows.TEST;
    return new AgentArm(fusion, recovery, windows);
  }

  private List<Long> seeds() {
    return modelSeeds != null && !modelSeeds.isEmpty()
        ? modelSeeds
        : quick ? List.of(1L) : List.of(1L, 2L, 3L);
  }

  private int or(Integer explicit, int full, int small) {
    return explicit != null ? explicit : quick ? small : full;
  }

  private static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("prunewire");
  }
}
