package io.prunewire.scorers.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.scorers.internal.IndexSort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutcomeFusionTest {

  private static final List<String> NAMES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
  private static final int NEURONS = 80;

  /** A layer whose true importance is c2 plus a little of c5; the other criteria are noise. */
  private final Random random = new Random(5);

  private final double[] truth = new double[NEURONS];
  private final CriterionScores layer;

  OutcomeFusionTest() {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String n : NAMES) {
      m.put(n, random.doubles(NEURONS).toArray());
    }
    for (int i = 0; i < NEURONS; i++) {
      truth[i] = m.get("c2")[i] + 0.3 * m.get("c5")[i];
    }
    layer = CriterionScores.of("l", m);
  }

  /** Δloss of removing the bottom half under a fusion: the true importance removed. */
  private double measure(Fusion f) {
    int[] order = IndexSort.ascending(f.fuse(layer).scores());
    double d = 0;
    for (int k = 0; k < NEURONS / 2; k++) {
      d += truth[order[k]];
    }
    return d;
  }

  @Test
  void roundsOfMeasuredRemovalsFindTheCriterionThatCarriesTheDamage() {
    OutcomeFusion f = OutcomeFusion.initial();
    OutcomeFusion.Config config = new OutcomeFusion.Config(3, 2, 3, 8, List.of());
    double simple = measure(f);
    for (int round = 0; round < 4; round++) {
      List<OutcomeFusion.Proposal> proposals = f.proposals(NAMES, config);
      double[] d =
          proposals.stream().mapToDouble(p -> measure(OutcomeFusion.of(p.criteria()))).toArray();
      f = f.update(proposals, d).fusion();
    }

    assertThat(f.chosen()).contains("c2");
    assertThat(f.best()).contains("c2");
    assertThat(measure(f)).isLessThan(simple);
    assertThat(Spearman.of(f.fuse(layer).scores(), truth)).isGreaterThan(0.9);
    assertThat(f.rounds()).isEqualTo(4);
    assertThat(f.measured()).isGreaterThan(12);
  }

  @Test
  void proposalsStartWithTheIncumbentAreDistinctAndExploreThePriorFirst() {
    OutcomeFusion.Config config = new OutcomeFusion.Config(2, 2, 4, 10, List.of("c6", "c3"));

    List<OutcomeFusion.Proposal> first = OutcomeFusion.initial().proposals(NAMES, config);

    assertThat(first)
        .extracting(OutcomeFusion.Proposal::label)
        .containsExactly("incumbent", "alone:c6", "alone:c3");
    assertThat(first.get(0).criteria()).isEmpty();
    OutcomeFusion after =
        OutcomeFusion.initial().update(first, new double[] {1.0, 0.5, 2.0}).fusion();
    assertThat(after.chosen()).containsExactly("c6");
    List<OutcomeFusion.Proposal> second = after.proposals(NAMES, config);
    assertThat(second)
        .extracting(OutcomeFusion.Proposal::label)
        .containsExactly("incumbent", "add:c3", "alone:c0", "alone:c1");
    assertThat(second.stream().map(OutcomeFusion.Proposal::criteria).distinct())
        .hasSize(second.size());
    assertThat(after.proposals(NAMES, config.withMaxCandidates(2))).hasSize(2);
  }

  @Test
  void anUnmeasuredIncumbentKeepsTheSubsetAndRegretsNeedIt() {
    OutcomeFusion.Config config = new OutcomeFusion.Config(2, 0, 4, 10, List.of());
    List<OutcomeFusion.Proposal> p = OutcomeFusion.initial().proposals(NAMES, config);

    OutcomeFusion.Update u = OutcomeFusion.initial().update(p, new double[] {Double.NaN, 0.1, 0.2});

    assertThat(u.fusion().chosen()).isEmpty();
    assertThat(u.fusion().evidence()).isEmpty();
    assertThat(u.fusion().measured()).isEqualTo(2);
    assertThat(u.summary()).contains("not measured");
  }

  @Test
  void anIncumbentThatIsNotBeatenStays() {
    OutcomeFusion.Config config = new OutcomeFusion.Config(2, 0, 4, 10, List.of());
    List<OutcomeFusion.Proposal> p = OutcomeFusion.initial().proposals(NAMES, config);

    OutcomeFusion.Update u = OutcomeFusion.initial().update(p, new double[] {0.1, 0.1, 0.3});

    assertThat(u.fusion().chosen()).isEmpty();
    assertThat(u.fusion().evidence().get("c0").meanRegret()).isEqualTo(0.0);
    assertThat(u.fusion().evidence().get("c1").meanRegret())
        .isEqualTo(0.3 - 0.1, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(u.summary()).contains("not beaten");
  }

  @Test
  void outcomesThatDoNotMatchTheProposalsAreRefused() {
    List<OutcomeFusion.Proposal> p =
        OutcomeFusion.initial().proposals(NAMES, OutcomeFusion.Config.defaults());

    assertThatThrownBy(() -> OutcomeFusion.initial().update(p, new double[p.size() - 1]))
        .hasMessageContaining("outcomes");
    assertThatThrownBy(
            () -> OutcomeFusion.initial().update(p.subList(1, p.size()), new double[p.size() - 1]))
        .hasMessageContaining("incumbent");
  }

  @Test
  void theFirstRoundMeasuresMagnitudeAloneNextToTheBestOneShotCriteria() {
    List<String> registryOrder = new java.util.ArrayList<>(OutcomeFusion.Config.COMPARE_PRIOR);
    java.util.Collections.reverse(registryOrder);
    registryOrder.add("gradient_snr");

    OutcomeFusion start = OutcomeFusion.starting(OutcomeFusion.Config.defaults(), registryOrder);
    List<String> labels =
        start.proposals(registryOrder, OutcomeFusion.Config.defaults()).stream()
            .map(OutcomeFusion.Proposal::label)
            .toList();

    assertThat(start.chosen()).as("by default a run starts from every criterion").isEmpty();
    assertThat(labels)
        .containsExactly(
            "incumbent",
            "alone:taylor",
            "alone:magnitude",
            "alone:activation_frequency",
            "alone:activation_magnitude",
            "alone:fisher",
            "alone:weight_nonzero_ratio");
  }

  @Test
  void aConfiguredStartIsTheFirstIncumbentAndEveryCriterionIsProposedBesideIt() {
    OutcomeFusion.Config config = OutcomeFusion.Config.defaults().withStart(List.of("magnitude"));
    List<String> names = List.of("taylor", "magnitude", "fisher");

    OutcomeFusion start = OutcomeFusion.starting(config, names);

    assertThat(start.chosen()).containsExactly("magnitude");
    assertThat(start.proposals(names, config))
        .extracting(OutcomeFusion.Proposal::label)
        .containsExactly("incumbent", "every", "alone:taylor", "alone:fisher");
    assertThat(OutcomeFusion.starting(config, List.of("taylor", "fisher")).chosen())
        .as("a start the layer's criteria lack falls back to every criterion")
        .isEmpty();
  }

  @Test
  void aGainWithinTheMeasuredNoiseDoesNotMoveTheSubset() {
    OutcomeFusion.Config config = new OutcomeFusion.Config(2, 0, 4, 10, List.of());
    List<OutcomeFusion.Proposal> p = OutcomeFusion.initial().proposals(NAMES, config);
    double[] deltaLoss = {0.30, 0.28, 0.35};

    // gain 0.02 against √(0.01² + 0.01²) = 0.0141 combined standard errors
    OutcomeFusion.Update within =
        OutcomeFusion.initial().update(p, deltaLoss, new double[] {0.01, 0.01, 0.01}, 2);
    OutcomeFusion.Update beyond =
        OutcomeFusion.initial().update(p, deltaLoss, new double[] {0.01, 0.01, 0.01}, 1);
    OutcomeFusion.Update unknown =
        OutcomeFusion.initial()
            .update(p, deltaLoss, new double[] {Double.NaN, Double.NaN, Double.NaN}, 2);

    assertThat(within.fusion().chosen()).isEmpty();
    assertThat(within.summary())
        .contains("not beaten by more than 2 combined standard errors")
        .contains("alone:c0 0.2800 ± 0.010");
    assertThat(within.fusion().evidence()).containsKeys("c0", "c1");
    assertThat(beyond.fusion().chosen()).containsExactly("c0");
    assertThat(beyond.summary())
        .contains("0.2800 ± 0.010 < incumbent 0.3000 ± 0.010")
        .contains("by more than 1 combined standard errors, adopted");
    assertThat(unknown.fusion().chosen())
        .as("without standard errors any measured gain counts")
        .containsExactly("c0");
  }

  @Test
  void theLowestOutcomeBeyondTheNoiseIsAdoptedNotTheLowestOutcome() {
    OutcomeFusion.Config config = new OutcomeFusion.Config(3, 0, 4, 10, List.of());
    List<OutcomeFusion.Proposal> p = OutcomeFusion.initial().proposals(NAMES, config);

    // c0 is lowest but noisy; c1 gains less, beyond its noise
    OutcomeFusion.Update u =
        OutcomeFusion.initial()
            .update(
                p, new double[] {0.30, 0.20, 0.25, 0.40}, new double[] {0.01, 0.2, 0.01, 0.01}, 1);

    assertThat(u.fusion().chosen()).containsExactly("c1");
  }

  @Test
  void badMarginsAndStartsAreRefused() {
    assertThatThrownBy(() -> OutcomeFusion.Config.defaults().withMargin(-1))
        .hasMessageContaining("margin");
    assertThatThrownBy(() -> OutcomeFusion.Config.defaults().withMargin(Double.NaN))
        .hasMessageContaining("margin");
    assertThatThrownBy(
            () -> OutcomeFusion.Config.defaults().withStart(List.of("a", "b", "c", "d", "e")))
        .hasMessageContaining("maxCriteria");
    List<OutcomeFusion.Proposal> p =
        OutcomeFusion.initial().proposals(NAMES, new OutcomeFusion.Config(1, 0, 4, 10, List.of()));
    assertThatThrownBy(
            () ->
                OutcomeFusion.initial()
                    .update(p, new double[] {0.1, 0.2}, new double[] {0.01, -0.01}, 1))
        .hasMessageContaining("standard error");
  }
}
