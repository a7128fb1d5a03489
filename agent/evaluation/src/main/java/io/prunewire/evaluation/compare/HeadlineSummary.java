package io.prunewire.evaluation.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.prunewire.trainer.model.Evaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The headline over model seeds: for every column and ratio, the median over seeds with a 95 %
 * percentile-bootstrap interval that resamples both levels of the experiment — the model seeds
 * (with replacement), then within each drawn seed its validation windows (with replacement, the
 * same draw for every column of that seed, so that ratios are paired) — and the criteria,
 * each with whether it holds. With few seeds the interval is dominated by the spread between them:
 * three seeds give only ten distinct seed draws.
 *
 * @param seeds model seeds summarised
 * @param resamples bootstrap resamples behind every interval
 * @param columns headline columns (validation perplexity)
 * @param ratios ratios of two columns, computed per seed, then the median over seeds
 * @param criteria the conditions the headline is judged by
 */
record HeadlineSummary(
    int seeds,
    int resamples,
    List<Estimate> columns,
    List<Estimate> ratios,
    List<Criterion> criteria) {

  /** Bootstrap resamples; the seed of the resampling is fixed, so a summary is reproducible. */
  static final int RESAMPLES = 2000;

  private static final long BOOTSTRAP_SEED = 20_191_204L;

  HeadlineSummary {
    columns = List.copyOf(columns);
    ratios = List.copyOf(ratios);
    criteria = List.copyOf(criteria);
  }

  /** A median over seeds with its interval; {@code null} values where a seed lacks the column. */
  record Estimate(
      String name,
      Double median,
      @JsonProperty("ci_low") Double ciLow,
      @JsonProperty("ci_high") Double ciHigh,
      List<Double> perSeed) {}

  /** One condition of the headline: what it says, whether it holds, and the numbers behind it. */
  record Criterion(String condition, Boolean holds, String detail) {}

  /** The ratios the report gives (numerator, denominator). */
  static final List<String[]> RATIOS =
      List.of(
          new String[] {HeadlineRows.Columns.DEFAULT, HeadlineRows.Columns.BEST_SINGLE},
          new String[] {HeadlineRows.Columns.DEFAULT, HeadlineRows.Columns.RANDOM},
          new String[] {HeadlineRows.Columns.DEFAULT, HeadlineRows.Columns.HAP},
          new String[] {HeadlineRows.Columns.DURING_DEFAULT, HeadlineRows.Columns.DURING_GMP},
          new String[] {HeadlineRows.Columns.DURING_DEFAULT, HeadlineRows.Columns.SMALL_DENSE},
          new String[] {HeadlineRows.Columns.DURING_DEFAULT, HeadlineRows.Columns.DENSE});

  /**
   * Summarises {@code rows} (one per seed) with the window-by-window evaluations of each seed's
   * columns ({@code evaluations.get(i)} belongs to {@code rows.get(i)}).
   */
  static HeadlineSummary of(
      List<HeadlineRows.Row> rows, List<Map<String, Evaluation>> evaluations) {
    if (rows.size() != evaluations.size() || rows.isEmpty()) {
      throw new IllegalArgumentException(
          "headline summary: "
              + rows.size()
              + " rows for "
              + evaluations.size()
              + " evaluations; need one per seed, at least one");
    }
    List<Estimate> columns = new ArrayList<>();
    for (String c : HeadlineRows.Columns.ALL) {
      columns.add(estimate(c, rows, evaluations, new String[] {c}));
    }
    List<Estimate> ratios = new ArrayList<>();
    for (String[] r : RATIOS) {
      ratios.add(estimate(r[0] + "/" + r[1], rows, evaluations, r));
    }
    return new HeadlineSummary(rows.size(), RESAMPLES, columns, ratios, criteria(rows, ratios));
  }

  /** The value of {@code parts} (a column, or numerator and denominator) in one seed's row. */
  private static Double value(HeadlineRows.Row row, String[] parts) {
    Double a = HeadlineRows.Columns.of(row, parts[0]);
    if (parts.length == 1 || a == null) {
      return a;
    }
    Double b = HeadlineRows.Columns.of(row, parts[1]);
    return b == null ? null : a / b;
  }

  private static Estimate estimate(
      String name,
      List<HeadlineRows.Row> rows,
      List<Map<String, Evaluation>> evaluations,
      String[] parts) {
    List<Double> perSeed = rows.stream().map(r -> value(r, parts)).toList();
    int[] usable =
        java.util.stream.IntStream.range(0, rows.size())
            .filter(
                i ->
                    perSeed.get(i) != null
                        && Arrays.stream(parts).allMatch(p -> evaluations.get(i).containsKey(p)))
            .toArray();
    if (usable.length == 0) {
      return new Estimate(name, null, null, null, perSeed);
    }
    double median = Stats.median(Arrays.stream(usable).mapToDouble(i -> perSeed.get(i)).toArray());
    SplittableRandom random = new SplittableRandom(BOOTSTRAP_SEED);
    double[] medians = new double[RESAMPLES];
    double[] drawn = new double[usable.length];
    for (int b = 0; b < RESAMPLES; b++) {
      for (int k = 0; k < usable.length; k++) {
        Map<String, Evaluation> seed = evaluations.get(usable[random.nextInt(usable.length)]);
        int[] windows = draw(seed.get(parts[0]).windows(), random);
        double v = seed.get(parts[0]).perplexity(windows);
        drawn[k] = parts.length == 1 ? v : v / seed.get(parts[1]).perplexity(windows);
      }
      medians[b] = Stats.median(drawn);
    }
    Arrays.sort(medians);
    return new Estimate(
        name,
        median,
        medians[(int) (0.025 * (RESAMPLES - 1))],
        medians[(int) Math.ceil(0.975 * (RESAMPLES - 1))],
        perSeed);
  }

  private static int[] draw(int n, SplittableRandom random) {
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextInt(n);
    }
    return w;
  }

  private static List<Criterion> criteria(List<HeadlineRows.Row> rows, List<Estimate> ratios) {
    List<Criterion> out = new ArrayList<>();
    out.add(medianAtMost("median default/best_single <= 1.00", ratios, "default/best_single", 1.0));
    out.add(
        everySeed(
            "default below random in every seed",
            rows,
            HeadlineRows.Columns.DEFAULT,
            HeadlineRows.Columns.RANDOM));
    out.add(
        everySeed(
            "default below hap in every seed",
            rows,
            HeadlineRows.Columns.DEFAULT,
            HeadlineRows.Columns.HAP));
    out.add(
        medianAtMost(
            "median during_default <= during_gmp", ratios, "during_default/during_gmp", 1.0));
    out.add(
        everySeed(
            "during_default below small_dense in every seed",
            rows,
            HeadlineRows.Columns.DURING_DEFAULT,
            HeadlineRows.Columns.SMALL_DENSE));
    out.add(
        medianAtMost(
            "median during_default/dense <= 1.05 (an aim)", ratios, "during_default/dense", 1.05));
    return out;
  }

  private static Criterion medianAtMost(
      String condition, List<Estimate> ratios, String ratio, double bound) {
    Estimate e = ratios.stream().filter(r -> r.name().equals(ratio)).findFirst().orElseThrow();
    if (e.median() == null) {
      return new Criterion(condition, null, "not measured");
    }
    long measured = e.perSeed().stream().filter(java.util.Objects::nonNull).count();
    return new Criterion(
        condition,
        e.median() <= bound,
        String.format(
            java.util.Locale.ROOT,
            "median %.3f, 95 %% interval [%.3f, %.3f]%s",
            e.median(),
            e.ciLow(),
            e.ciHigh(),
            measured < e.perSeed().size()
                ? ", over the " + measured + " of " + e.perSeed().size() + " seeds measured"
                : ""));
  }

  /**
   * Whether {@code below < above} on every seed that measured both; seeds that did not are named.
   */
  private static Criterion everySeed(
      String condition, List<HeadlineRows.Row> rows, String below, String above) {
    List<String> per = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    boolean holds = true;
    for (HeadlineRows.Row r : rows) {
      Double a = HeadlineRows.Columns.of(r, below);
      Double b = HeadlineRows.Columns.of(r, above);
      if (a == null || b == null) {
        missing.add(r.seed());
        continue;
      }
      holds &= a < b;
      per.add(String.format(java.util.Locale.ROOT, "seed %d: %.1f vs %.1f", r.seed(), a, b));
    }
    if (per.isEmpty()) {
      return new Criterion(condition, null, "not measured");
    }
    String detail =
        String.join("; ", per)
            + (missing.isEmpty()
                ? ""
                : "; not measured on seed" + (missing.size() > 1 ? "s " : " ") + missing);
    return new Criterion(condition, holds, detail);
  }
}
