package io.prunewire.service;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.fusion.OutcomeFusion;
import io.prunewire.scorers.fusion.SingleCriterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fusion strategy that decides, by the name the {@code fusion} setting gives it: one of the
 * {@link Strategy strategies}, or {@code criterion:<name>} for one criterion of the registry alone.
 *
 * @param strategy the strategy; {@link Strategy#CRITERION} when one criterion decides
 * @param criterion the criterion that decides, present exactly when the strategy is {@link
 *     Strategy#CRITERION}
 */
public record FusionChoice(Strategy strategy, Optional<String> criterion) {

  /** The strategies, by their setting names. */
  public enum Strategy {
    /** Criteria chosen from the measured damage of removal candidates (default). */
    OUTCOME(OutcomeFusion.NAME),
    /** Weights fitted to the run's ablation probes. */
    LEARNED("learned"),
    /** Equal weights. */
    SIMPLE("simple"),
    /** The original proposal's fixed weights. */
    SEED("seed"),
    /** Weights from each criterion's rank stability between the run's decisions, per layer. */
    ADAPTIVE("adaptive"),
    /** One criterion alone: {@code criterion:<name>}. */
    CRITERION(SingleCriterion.PREFIX);

    private final String settingName;

    Strategy(String settingName) {
      this.settingName = settingName;
    }
  }

  /** The default, {@code outcome}. */
  public static final FusionChoice OUTCOME = of(Strategy.OUTCOME);

  public FusionChoice {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(criterion, "criterion");
    if (criterion.isPresent() != (strategy == Strategy.CRITERION)) {
      throw new IllegalArgumentException(
          "a criterion goes with the criterion strategy only, got " + strategy + " " + criterion);
    }
  }

  /** A strategy other than {@link Strategy#CRITERION}. */
  public static FusionChoice of(Strategy strategy) {
    return new FusionChoice(strategy, Optional.empty());
  }

  /** {@code criterion:<name>}. */
  public static FusionChoice criterion(String name) {
    return new FusionChoice(Strategy.CRITERION, Optional.of(name));
  }

  /**
   * Parses the {@code fusion} setting.
   *
   * @throws IllegalArgumentException naming the valid names, and the nearest one if close, when
   *     {@code name} is none of them; {@code probed} is refused with its agent equivalent
   */
  public static FusionChoice parse(String name) {
    if ("probed".equals(name)) {
      throw new IllegalArgumentException(
          "fusion probed is compare's offline search; the agent's form of it is"
              + " fusion=outcome (trainers measure the removals it proposes)");
    }
    List<String> criteria = Criteria.defaults().names();
    for (Strategy s : Strategy.values()) {
      if (s != Strategy.CRITERION && s.settingName.equals(name)) {
        return of(s);
      }
    }
    if (name.startsWith(SingleCriterion.PREFIX)
        && criteria.contains(name.substring(SingleCriterion.PREFIX.length()))) {
      return criterion(name.substring(SingleCriterion.PREFIX.length()));
    }
    List<String> known = new ArrayList<>();
    for (Strategy s : Strategy.values()) {
      if (s != Strategy.CRITERION) {
        known.add(s.settingName);
      }
    }
    criteria.forEach(c -> known.add(SingleCriterion.PREFIX + c));
    throw new IllegalArgumentException(
        "fusion must be outcome, learned, simple, seed, adaptive or"
            + " criterion:<name> with a name from "
            + criteria
            + ", got '"
            + name
            + "'"
            + NearestName.hint(name, known));
  }

  /** The name in the {@code fusion} setting, e.g. {@code seed} or {@code criterion:magnitude}. */
  public String settingName() {
    return criterion.map(c -> SingleCriterion.PREFIX + c).orElse(strategy.settingName);
  }

  @Override
  public String toString() {
    return settingName();
  }
}
