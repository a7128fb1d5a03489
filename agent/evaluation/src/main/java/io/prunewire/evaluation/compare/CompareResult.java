package io.prunewire.evaluation.compare;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code prunewire compare} run measured, section by section, as the report, the CSV
 * files and {@code results.json} present it. A {@code null} number means "not measured" or "not
 * defined" and comes with a note saying why (e.g. Spearman of a group whose oracle is constant).
 *
 * <p>Scores follow one convention throughout: higher means "keep"; the oracle's score of a neuron
 * is the loss increase its removal causes.
 *
 * @param provenance command line, settings, seeds, machine, Java, commit and wall time
 * @param fractions the pruned fractions of section 3, ascending (e.g. 0.1, 0.3, 0.5, 0.7)
 */
public record CompareResult(
    Map<String, Object> provenance,
    List<Double> fractions,
    Model model,
    List<Group> groups,
    Oracle oracle,
    List<Ranking> ranking,
    List<Pruning> pruning,
    List<SnnRatio> snnRatio,
    List<Progressive> progressive,
    List<Stability> stability,
    List<ScoringCost> scoringCost,
    List<CollectionCost> collectionCost,
    List<Schedule> schedules,
    HeadlineRows headline) {

  /**
   * A result without the {@code headline} object (written as {@code null}), as hand-built results
   * in tests are.
   */
  public CompareResult(
      Map<String, Object> provenance,
      List<Double> fractions,
      Model model,
      List<Group> groups,
      Oracle oracle,
      List<Ranking> ranking,
      List<Pruning> pruning,
      List<SnnRatio> snnRatio,
      List<Progressive> progressive,
      List<Stability> stability,
      List<ScoringCost> scoringCost,
      List<CollectionCost> collectionCost,
      List<Schedule> schedules) {
    this(
        provenance,
        fractions,
        model,
        groups,
        oracle,
        ranking,
        pruning,
        snnRatio,
        progressive,
        stability,
        scoringCost,
        collectionCost,
        schedules,
        null);
  }

  /**
   * The trained checkpoint everything is measured on.
   *
   * @param trainedSteps training windows (bptt × batch tokens each) of the checkpoint
   * @param validPerplexity validation perplexity of the unpruned checkpoint (the report's
   *     reference)
   * @param cached whether the checkpoint came from the cache rather than this run
   * @param trainSeconds wall time of training it (0 when cached)
   */
  public record Model(
      String description,
      int embedding,
      int rnn,
      int snn,
      int hiddenNeurons,
      long parameters,
      int trainedSteps,
      double validPerplexity,
      boolean cached,
      double trainSeconds,
      String checkpointDir) {}

  /**
   * One layer-and-type group of neurons, e.g. {@code h1.snn}, type {@code spiking} or {@code rnn}.
   */
  public record Group(String name, String type, int neurons) {}

  /**
   * Section 1, the ground truth on {@code heldOutBatches} fixed validation batches ({@code tokens}
   * tokens in all).
   *
   * @param intactLoss mean loss (nats/token) of the unpruned network on those batches
   * @param singles one row per measured neuron
   * @param groups random groups removed together
   * @param sampled whether {@code singles} is a seeded stratified sample rather than every neuron
   */
  public record Oracle(
      int heldOutBatches,
      long tokens,
      double intactLoss,
      boolean sampled,
      List<SingleAblation> singles,
      List<GroupAblation> groups) {}

  /** Loss change (nats/token) of removing one neuron alone. */
  public record SingleAblation(String group, int neuron, double deltaLoss) {}

  /**
   * Loss change of removing {@code size} random neurons together, next to the sum of their single
   * loss changes (equal if effects added up).
   */
  public record GroupAblation(int size, double deltaLoss, double sumOfSingles) {}

  /**
   * Section 2: Spearman ρ of one scorer against the single-ablation oracle.
   *
   * @param kind {@code criterion}, {@code fusion} or {@code oracle}
   * @param family the criterion's family, or the fusion's description
   * @param perGroup ρ within each group (by group name; {@code null} = undefined)
   * @param pooledNormalised ρ over all neurons after per-group normalisation
   * @param pooledRaw ρ over all neurons of the raw scores ({@code null} for fusions, whose inputs
   *     are normalised by construction)
   * @param note why some ρ is undefined, or empty
   */
  public record Ranking(
      String scorer,
      String kind,
      String family,
      Map<String, Double> perGroup,
      Double pooledNormalised,
      Double pooledRaw,
      String note) {}

  /**
   * Section 3: validation perplexity after removing {@code fraction} of the hidden neurons chosen
   * by {@code scorer} (HSTNN type-aware retention at snn_ratio 0.5).
   *
   * @param fineTuned perplexity after the fixed short fine-tune, or {@code null} when this scorer
   *     was not fine-tuned (see the provenance's fine-tune list)
   */
  public record Pruning(
      String scorer,
      String kind,
      double fraction,
      int removed,
      double perplexity,
      Double fineTuned) {}

  /**
   * Section 3, HSTNN selection rule: pruning {@code fraction} with {@code snnRatio} of the kept
   * neurons spiking.
   */
  public record SnnRatio(
      String scorer,
      double snnRatio,
      double fraction,
      int keptSpiking,
      int keptAnalog,
      double perplexity,
      Double fineTuned) {}

  /**
   * Section 4: one stage of progressive validation, fused with {@code fusion} ({@code simple} or
   * {@code learned}).
   *
   * @param perplexity one value per entry of {@link CompareResult#fractions()}, no fine-tune
   */
  public record Progressive(
      String stage,
      List<String> criteria,
      String fusion,
      Double pooledSpearman,
      List<Double> perplexity) {}

  /**
   * Section 5: agreement of a scorer with itself across telemetry seeds, averaged over seed pairs.
   *
   * @param kendallTau mean Kendall τ-b of the per-group rankings
   * @param jaccard mean Jaccard overlap of the kept sets at {@code fraction}
   */
  public record Stability(
      String scorer, int seeds, double fraction, Double kendallTau, Double jaccard, String note) {}

  /** Section 6: median time to compute one criterion from a layer's evidence, per layer width. */
  public record ScoringCost(String scorer, int width, double medianMillis) {}

  /**
   * Section 6: time to collect one kind of evidence on this model, {@code per} saying for what
   * unit.
   */
  public record CollectionCost(String component, String per, double medianMillis, int repeats) {}

  /**
   * Section 7: one way of reaching the same final size at equal total training steps.
   *
   * @param arm short name ({@code agent}, {@code one-shot}, {@code gradual-magnitude})
   * @param keptNeurons hidden neurons left at the end
   */
  public record Schedule(
      String arm,
      String description,
      int totalSteps,
      int keptNeurons,
      double perplexity,
      double seconds) {}
}
