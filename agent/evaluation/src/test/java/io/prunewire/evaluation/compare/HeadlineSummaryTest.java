package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.trainer.model.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeadlineSummaryTest {

  /** Windows of 100 tokens whose mean loss is ln(ppl) plus seeded noise. */
  private static Evaluation windows(double ppl, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] nll = new double[40];
    long[] tokens = new long[40];
    for (int i = 0; i < nll.length; i++) {
      tokens[i] = 100;
      nll[i] = 100 * (Math.log(ppl) + 0.2 * (r.nextDouble() - 0.5));
    }
    return new Evaluation(nll, tokens);
  }

  /**
   * A seed whose columns have the given perplexities (approximately), in {@link
   * HeadlineRows.Columns#ALL} order.
   */
  private static Map<String, Evaluation> seed(long seed, double... ppl) {
    Map<String, Evaluation> m = new LinkedHashMap<>();
    for (int c = 0; c < ppl.length; c++) {
      m.put(HeadlineRows.Columns.ALL.get(c), windows(ppl[c], seed * 31 + c));
    }
    return m;
  }

  private static HeadlineRows.Row row(long seed, Map<String, Evaluation> e) {
    java.util.function.Function<String, Double> p =
        c -> e.containsKey(c) ? e.get(c).perplexity() : null;
    return new HeadlineRows.Row(
        seed,
        p.apply("default"),
        p.apply("best_single"),
        "taylor",
        p.apply("random"),
        p.apply("hap"),
        p.apply("dense"),
        p.apply("small_dense"),
        p.apply("during_default"),
        p.apply("during_gmp"));
  }

  private static HeadlineSummary summarise(List<Map<String, Evaluation>> seeds) {
    List<HeadlineRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      rows.add(row(i + 1, seeds.get(i)));
    }
    return HeadlineSummary.of(rows, seeds);
  }

  private static HeadlineSummary.Criterion criterion(HeadlineSummary s, String prefix) {
    return s.criteria().stream()
        .filter(c -> c.condition().startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theMedianIsOverSeedsAndTheIntervalSurroundsIt() {
    HeadlineSummary s =
        summarise(
            List.of(
                seed(1, 300, 320, 400, 380, 200, 260, 230, 240),
                seed(2, 310, 330, 420, 390, 205, 265, 235, 238),
                seed(3, 290, 300, 410, 370, 198, 255, 228, 236)));

    HeadlineSummary.Estimate d = s.columns().get(0);
    assertThat(d.name()).isEqualTo("default");
    assertThat(d.perSeed()).hasSize(3);
    assertThat(d.median())
        .isEqualTo(Stats.median(d.perSeed().stream().mapToDouble(Double::doubleValue).toArray()));
    assertThat(d.ciLow()).isLessThanOrEqualTo(d.median());
    assertThat(d.ciHigh()).isGreaterThanOrEqualTo(d.median());
    assertThat(d.ciHigh() - d.ciLow()).isGreaterThan(0).isLessThan(60);
    assertThat(s.resamples()).isEqualTo(HeadlineSummary.RESAMPLES);
  }

  @Test
  void everyConditionHoldsWhenTheNumbersSaySo() {
    HeadlineSummary s =
        summarise(
            List.of(
                seed(1, 300, 320, 400, 380, 200, 260, 230, 240),
                seed(2, 310, 330, 420, 390, 205, 265, 235, 238),
                seed(3, 290, 300, 410, 370, 198, 255, 228, 236)));

    assertThat(s.criteria())
        .extracting(HeadlineSummary.Criterion::holds)
        .containsExactly(true, true, true, true, true, false);
    assertThat(criterion(s, "median during_default/dense").detail()).startsWith("median 1.1");
  }

  @Test
  void oneSeedWhereRandomWinsBreaksTheEverySeedCondition() {
    HeadlineSummary s =
        summarise(
            List.of(
                seed(1, 300, 320, 400, 380, 200, 260, 230, 240),
                seed(2, 450, 330, 420, 390, 205, 265, 235, 238),
                seed(3, 290, 300, 410, 370, 198, 255, 228, 236)));

    HeadlineSummary.Criterion c = criterion(s, "default below random");
    assertThat(c.holds()).isFalse();
    assertThat(c.detail()).contains("seed 2: 45", " vs 41");
    // the median ratio still holds: two of three seeds beat the best single criterion
    assertThat(criterion(s, "median default/best_single").holds()).isTrue();
  }

  @Test
  void aRatioOfAColumnToItselfIsExactlyOneWithAnEmptyInterval() {
    List<Map<String, Evaluation>> seeds = new ArrayList<>();
    for (long k = 1; k <= 3; k++) {
      Map<String, Evaluation> m = seed(k, 300, 320, 400, 380, 200, 260, 230, 240);
      m.put(HeadlineRows.Columns.DURING_GMP, m.get(HeadlineRows.Columns.DURING_DEFAULT));
      seeds.add(m);
    }
    HeadlineSummary.Estimate r =
        summarise(seeds).ratios().stream()
            .filter(e -> e.name().equals("during_default/during_gmp"))
            .findFirst()
            .orElseThrow();

    assertThat(r.median()).isCloseTo(1.0, within(1e-12));
    assertThat(r.ciLow()).isCloseTo(1.0, within(1e-12));
    assertThat(r.ciHigh()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aColumnNoSeedMeasuredIsReportedAsNotMeasured() {
    List<Map<String, Evaluation>> seeds = new ArrayList<>();
    for (long k = 1; k <= 3; k++) {
      Map<String, Evaluation> m = seed(k, 300, 320, 400, 380, 200, 260, 230, 240);
      m.remove(HeadlineRows.Columns.SMALL_DENSE);
      seeds.add(m);
    }
    HeadlineSummary s = summarise(seeds);

    assertThat(
            s.columns().stream()
                .filter(e -> e.name().equals("small_dense"))
                .findFirst()
                .orElseThrow()
                .median())
        .isNull();
    assertThat(criterion(s, "during_default below small_dense").holds()).isNull();
  }

  @Test
  void aSeedWithoutItsArmsCountsOnlyWhereItWasMeasured() {
    Map<String, Evaluation> unfinished = seed(3, 290, 300, 410, 370, 198, 255, 228, 236);
    unfinished.remove(HeadlineRows.Columns.SMALL_DENSE);
    unfinished.remove(HeadlineRows.Columns.DURING_DEFAULT);
    unfinished.remove(HeadlineRows.Columns.DURING_GMP);
    HeadlineSummary s =
        summarise(
            List.of(
                seed(1, 300, 320, 400, 380, 200, 260, 230, 240),
                seed(2, 310, 330, 420, 390, 205, 265, 235, 238),
                unfinished));

    HeadlineSummary.Criterion c = criterion(s, "during_default below small_dense");
    assertThat(c.holds()).isTrue();
    assertThat(c.detail()).contains("not measured on seed [3]");
    assertThat(criterion(s, "median during_default <= during_gmp").detail())
        .contains("over the 2 of 3 seeds");
    assertThat(criterion(s, "default below random").detail()).contains("seed 3:");
  }
}
