package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results folder of a small synthetic compare run: sections, files, numbers that read back. */
class CompareReportTest {

  @TempDir static Path shared;

  /** The base result, written once into {@link #shared} for the tests that only read the folder. */
  private static CompareResult written;

  private static String md;

  @BeforeAll
  static void writeTheBaseResultOnce() throws Exception {
    written = result(basePerplexities());
    md = Files.readString(CompareReport.write(written, shared));
  }

  private static final List<Double> FRACTIONS = List.of(0.1, 0.3, 0.5, 0.7);
  private static final String DESCRIPTION_WITH_COMMA = "one-shot, after \"training\"";

  /**
   * Perplexity of a scorer at 10 %; it grows with the pruned fraction. Twelve scorers: the plot
   * greys some.
   */
  private static Map<String, Double> basePerplexities() {
    Map<String, Double> base = new LinkedHashMap<>();
    base.put("oracle", 101.0);
    base.put("random", 180.0);
    base.put("hap", 120.0);
    base.put("learned", 115.0);
    base.put("simple", 125.0);
    base.put("magnitude", 140.0);
    base.put("taylor", 112.0);
    base.put("fisher", 130.0);
    base.put("weight_l2", 150.0);
    base.put("activation_magnitude", 160.0);
    base.put("gradient_snr", 170.0);
    base.put("obd", 135.0);
    return base;
  }

  private static String kind(String scorer) {
    return switch (scorer) {
      case "oracle" -> "oracle";
      case "learned", "simple" -> "fusion";
      default -> "criterion";
    };
  }

  private static double perplexity(Map<String, Double> base, String scorer, double fraction) {
    return base.get(scorer) * (1 + 2 * fraction);
  }

  private static CompareResult result(Map<String, Double> base) {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("command", "./prunewire compare --quick --seed 7");
    provenance.put("seeds", List.of(7, 8, 9));
    provenance.put("machine", "Linux amd64, 2 cores | shared");
    provenance.put("wall_seconds", 123.4);
    CompareResult.Model model =
        new CompareResult.Model(
            "hybrid LM, 2 layers", 16, 8, 8, 32, 12345L, 400, 98.76, false, 61.5, "/tmp/ckpt");
    List<CompareResult.Group> groups =
        List.of(
            new CompareResult.Group("h1.snn", "spiking", 8),
            new CompareResult.Group("h1.rnn", "rnn", 8),
            new CompareResult.Group("h2.snn", "spiking", 8));
    List<CompareResult.SingleAblation> singles = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      singles.add(new CompareResult.SingleAblation("h1.snn", n, n < 2 ? 0.0 : 0.001 * n));
      singles.add(new CompareResult.SingleAblation("h1.rnn", n, 0.0123 * (n + 1)));
      singles.add(new CompareResult.SingleAblation("h2.snn", n, n == 4 ? -0.0005 : 0.00071 * n));
    }
    List<CompareResult.GroupAblation> groupAblations =
        List.of(
            new CompareResult.GroupAblation(4, 0.09, 0.05),
            new CompareResult.GroupAblation(4, 0.07, 0.06),
            new CompareResult.GroupAblation(8, 0.31, 0.12));
    CompareResult.Oracle oracle =
        new CompareResult.Oracle(4, 2800, 4.6, true, singles, groupAblations);

    List<CompareResult.Ranking> ranking = new ArrayList<>();
    List<String> scorers = new ArrayList<>(base.keySet());
    for (int i = 0; i < scorers.size(); i++) {
      String s = scorers.get(i);
      Map<String, Double> perGroup = new HashMap<>();
      perGroup.put("h1.snn", s.equals("hap") ? null : 0.9 - 0.05 * i);
      perGroup.put("h1.rnn", 0.8 - 0.04 * i);
      perGroup.put("h2.snn", 0.7 - 0.03 * i);
      boolean fusion = kind(s).equals("fusion");
      ranking.add(
          new CompareResult.Ranking(
              s,
              kind(s),
              fusion ? "rank-normalised weighted sum" : "family " + i,
              perGroup,
              s.equals("obd") ? null : ((i * 7) % 12) / 12.0,
              fusion ? null : 0.5 - 0.02 * i,
              s.equals("hap") ? "h1.snn: the oracle is constant on this group" : ""));
    }

    List<CompareResult.Pruning> pruning = new ArrayList<>();
    for (String s : scorers) {
      for (double f : FRACTIONS) {
        double ppl =
            s.equals("random") && f == 0.7 ? Double.POSITIVE_INFINITY : perplexity(base, s, f);
        Double tuned =
            s.equals("learned") || s.equals("hap") || s.equals("oracle") ? ppl * 0.8 - f : null;
        pruning.add(new CompareResult.Pruning(s, kind(s), f, (int) Math.round(32 * f), ppl, tuned));
      }
    }
    List<CompareResult.SnnRatio> snn = new ArrayList<>();
    for (String s : List.of("hap", "learned")) {
      for (double ratio : List.of(0.1, 0.5, 0.9)) {
        int kept = 16;
        snn.add(
            new CompareResult.SnnRatio(
                s,
                ratio,
                0.5,
                (int) Math.round(kept * ratio),
                kept - (int) Math.round(kept * ratio),
                base.get(s) + 10 * Math.abs(ratio - 0.4),
                s.equals("hap") ? null : base.get(s) - 5 + ratio));
      }
    }
    List<CompareResult.Progressive> progressive =
        List.of(
            new CompareResult.Progressive(
                "weights",
                List.of("weight_l2", "weight_l1"),
                "simple",
                0.31,
                List.of(150.0, 170.0, 210.0, 300.0)),
            new CompareResult.Progressive(
                "+ activation",
                List.of("weight_l2", "activation_magnitude"),
                "simple",
                0.42,
                List.of(140.0, 160.0, 190.0, 280.0)),
            new CompareResult.Progressive(
                "weights",
                List.of("weight_l2", "weight_l1"),
                "learned",
                null,
                Arrays.asList(145.0, 165.0, null, 290.0)),
            new CompareResult.Progressive(
                "full",
                List.of("weight_l2", "taylor", "hap"),
                "learned",
                0.55,
                List.of(130.0, 150.0, 170.0, 240.0)));
    List<CompareResult.Stability> stability =
        List.of(
            new CompareResult.Stability("hap", 3, 0.5, 0.61, 0.7, ""),
            new CompareResult.Stability("learned", 3, 0.5, 0.74, 0.8, ""),
            new CompareResult.Stability(
                "simple", 3, 0.5, 0.66, null, "kept sets undefined on one seed"),
            new CompareResult.Stability("random", 3, 0.5, 0.01, 0.33, ""));
    List<CompareResult.ScoringCost> cost = new ArrayList<>();
    for (int i = 0; i < scorers.size(); i++) {
      for (int w : List.of(64, 128, 256)) {
        cost.add(
            new CompareResult.ScoringCost(
                scorers.get(i), w, 0.01 * (i + 1) * Math.pow(w / 64.0, 1 + i % 2)));
      }
    }
    List<CompareResult.CollectionCost> collection =
        List.of(
            new CompareResult.CollectionCost("activation summaries", "window", 3.2, 20),
            new CompareResult.CollectionCost("hutchinson probe", "probe", 41.0, 5));
    List<CompareResult.Schedule> schedules =
        List.of(
            new CompareResult.Schedule(
                "agent", "agent at checkpoints, cubic schedule", 800, 16, 131.2, 300.5),
            new CompareResult.Schedule("one-shot", DESCRIPTION_WITH_COMMA, 800, 16, 127.9, 280.0),
            new CompareResult.Schedule("gradual-magnitude", "Zhu & Gupta", 800, 16, 140.3, 290.0));
    return new CompareResult(
        provenance,
        FRACTIONS,
        model,
        groups,
        oracle,
        ranking,
        pruning,
        snn,
        progressive,
        stability,
        cost,
        collection,
        schedules);
  }

  @Test
  void writesEverySectionInTheIssuesOrder() {
    List<String> headings =
        List.of(
            "# Prunewire compare report",
            "**Headline.**",
            "## Setup",
            "### Provenance",
            "## 1 Ground truth",
            "### Group ablations",
            "## 2 Ranking diagnostic",
            "## 3 Pruning",
            "### Without fine-tune",
            "### After the short fine-tune",
            "### snn_ratio (HSTNN selection rule)",
            "## 4 Progressive validation",
            "## 5 Stability",
            "## 6 Cost",
            "### Scoring time by width",
            "### Collecting the evidence",
            "## 7 During training vs after",
            "## Files");
    int previous = -1;
    for (String h : headings) {
      int at = md.indexOf(h);
      assertThat(at).as(h).isGreaterThan(previous);
      previous = at;
    }
    assertThat(line(md, "**Headline.**"))
        .isEqualTo("**Headline.** " + headline(basePerplexities()));
    assertThat(md)
        .contains("```\n./prunewire compare --quick --seed 7\n```")
        .contains("| machine | Linux amd64, 2 cores \\| shared |")
        .contains("| wall_seconds | 123.4 |");
  }

  @Test
  void everyListedFileIsWrittenAndEveryPlotDecodes() throws Exception {
    assertListedFilesExist(md, shared);
    for (String png :
        List.of(
            "perplexity-vs-fraction.png",
            "perplexity-vs-fraction-finetuned.png",
            "spearman.png",
            "stability.png",
            "cost-vs-width.png",
            "progressive.png")) {
      assertThat(md).as("embedded " + png).contains("](" + png + ")\n\n");
    }
  }

  private static void assertListedFilesExist(String md, Path dir) throws Exception {
    String files = md.substring(md.indexOf("## Files"));
    Matcher link = Pattern.compile("\\]\\(([^)]+)\\)").matcher(files);
    List<String> listed = new ArrayList<>();
    while (link.find()) {
      listed.add(link.group(1));
    }
    assertThat(listed)
        .containsExactlyInAnyOrder(
            "results.json",
            "oracle-singles.csv",
            "oracle-groups.csv",
            "ranking.csv",
            "pruning.csv",
            "snn-ratio.csv",
            "progressive.csv",
            "stability.csv",
            "scoring-cost.csv",
            "collection-cost.csv",
            "schedules.csv",
            "perplexity-vs-fraction.png",
            "perplexity-vs-fraction-finetuned.png",
            "spearman.png",
            "stability.png",
            "cost-vs-width.png",
            "progressive.png");
    for (String f : listed) {
      assertThat(dir.resolve(f)).as(f).isRegularFile();
      if (f.endsWith(".png")) {
        BufferedImage image = ImageIO.read(dir.resolve(f).toFile());
        assertThat(image).as(f).isNotNull();
        assertThat(image.getWidth()).as(f).isEqualTo(1000);
        assertThat(image.getHeight()).as(f).isBetween(300, 2000);
      }
    }
  }

  @Test
  void csvRowsReadBackToTheInputNumbers() throws Exception {
    CompareResult r = written;
    Path dir = shared;

    List<List<String>> pruning = CsvReader.read(dir.resolve("pruning.csv"));
    assertThat(pruning.get(0))
        .containsExactly("scorer", "kind", "fraction", "removed", "perplexity", "fine_tuned");
    assertThat(pruning).hasSize(r.pruning().size() + 1);
    for (int i = 0; i < r.pruning().size(); i++) {
      CompareResult.Pruning p = r.pruning().get(i);
      List<String> row = pruning.get(i + 1);
      assertThat(row.get(0)).isEqualTo(p.scorer());
      assertThat(row.get(1)).isEqualTo(p.kind());
      assertThat(Double.parseDouble(row.get(2))).isEqualTo(p.fraction());
      assertThat(Integer.parseInt(row.get(3))).isEqualTo(p.removed());
      assertThat(number(row.get(4))).isEqualTo(p.perplexity());
      assertThat(number(row.get(5))).isEqualTo(p.fineTuned());
    }

    List<List<String>> ranking = CsvReader.read(dir.resolve("ranking.csv"));
    assertThat(ranking.get(0))
        .containsExactly(
            "scorer",
            "kind",
            "family",
            "rho_h1.snn",
            "rho_h1.rnn",
            "rho_h2.snn",
            "pooled_normalised",
            "pooled_raw",
            "note");
    for (int i = 0; i < r.ranking().size(); i++) {
      CompareResult.Ranking k = r.ranking().get(i);
      List<String> row = ranking.get(i + 1);
      assertThat(number(row.get(3))).isEqualTo(k.perGroup().get("h1.snn"));
      assertThat(number(row.get(5))).isEqualTo(k.perGroup().get("h2.snn"));
      assertThat(number(row.get(6))).isEqualTo(k.pooledNormalised());
      assertThat(number(row.get(7))).isEqualTo(k.pooledRaw());
      assertThat(row.get(8)).isEqualTo(k.note());
    }

    List<List<String>> singles = CsvReader.read(dir.resolve("oracle-singles.csv"));
    for (int i = 0; i < r.oracle().singles().size(); i++) {
      CompareResult.SingleAblation s = r.oracle().singles().get(i);
      assertThat(singles.get(i + 1))
          .containsExactly(s.group(), Integer.toString(s.neuron()), singles.get(i + 1).get(2));
      assertThat(number(singles.get(i + 1).get(2))).isEqualTo(s.deltaLoss());
    }

    List<List<String>> progressive = CsvReader.read(dir.resolve("progressive.csv"));
    assertThat(progressive.get(0))
        .containsExactly(
            "stage",
            "fusion",
            "criteria",
            "pooled_spearman",
            "perplexity_0.1",
            "perplexity_0.3",
            "perplexity_0.5",
            "perplexity_0.7");
    for (int i = 0; i < r.progressive().size(); i++) {
      CompareResult.Progressive p = r.progressive().get(i);
      assertThat(number(progressive.get(i + 1).get(3))).isEqualTo(p.pooledSpearman());
      for (int c = 0; c < FRACTIONS.size(); c++) {
        assertThat(number(progressive.get(i + 1).get(4 + c))).isEqualTo(p.perplexity().get(c));
      }
    }

    String schedules = Files.readString(dir.resolve("schedules.csv"));
    assertThat(schedules).contains("\"one-shot, after \"\"training\"\"\"").contains("\r\n");
    List<List<String>> arms = CsvReader.read(dir.resolve("schedules.csv"));
    for (int i = 0; i < r.schedules().size(); i++) {
      assertThat(arms.get(i + 1)).hasSize(6);
      assertThat(arms.get(i + 1).get(1)).isEqualTo(r.schedules().get(i).description());
      assertThat(number(arms.get(i + 1).get(4))).isEqualTo(r.schedules().get(i).perplexity());
    }
  }

  @Test
  void resultsJsonReadsBackWithNonFiniteNumbersAsNull() throws Exception {
    CompareResult r = written;
    ObjectMapper json = new ObjectMapper();
    String text = Files.readString(shared.resolve("results.json"));
    assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");

    CompareResult back = json.readValue(text, CompareResult.class);
    assertThat(back).usingRecursiveComparison().ignoringFields("pruning").isEqualTo(r);
    JsonNode pruning = json.readTree(text).get("pruning");
    for (int i = 0; i < r.pruning().size(); i++) {
      CompareResult.Pruning p = r.pruning().get(i);
      JsonNode node = pruning.get(i);
      assertThat(node.get("scorer").asText()).isEqualTo(p.scorer());
      if (Double.isFinite(p.perplexity())) {
        assertThat(node.get("perplexity").asDouble()).isEqualTo(p.perplexity());
      } else {
        assertThat(node.get("perplexity").isNull())
            .as("non-finite perplexity of %s", p.scorer())
            .isTrue();
      }
      if (p.fineTuned() == null) {
        assertThat(node.get("fineTuned").isNull()).isTrue();
      } else {
        assertThat(node.get("fineTuned").asDouble()).isEqualTo(p.fineTuned());
      }
    }
  }

  @Test
  void headlineNamesTheScorerWithTheLowestPerplexityAtHalf() {
    Map<String, Double> base = basePerplexities();
    assertThat(headline(base))
        .contains("the lowest validation perplexity is `" + lowestAtHalf(base) + "`");

    base.put("learned", 95.0);
    assertThat(lowestAtHalf(base)).isEqualTo("learned");
    assertThat(headline(base))
        .contains("the lowest validation perplexity is `learned`")
        .doesNotContain("among the criteria and fusions");

    base.put("learned", 115.0);
    assertThat(lowestAtHalf(base)).isEqualTo("oracle");
    assertThat(headline(base))
        .contains("the lowest validation perplexity is `oracle`")
        .contains("among the criteria and fusions it is `taylor`");
  }

  @Test
  void headlineReportsTheBaselineWinningPlainly() {
    Map<String, Double> base = basePerplexities();
    String mixed = headline(base);
    // learned (115) beats hap (120), simple (125) does not.
    assertThat(mixed)
        .contains(
            "1 of 2 fusions beat the Hessian-trace baseline `hap` ("
                + ppl(base, "hap")
                + ") without fine-tuning: `learned` ("
                + ppl(base, "learned")
                + "); negative result for `simple` ("
                + ppl(base, "simple")
                + ")");

    base.put("hap", 100.0);
    assertThat(headline(base))
        .contains(
            "Negative result: the Hessian-trace baseline `hap` ("
                + ppl(base, "hap")
                + ") without fine-tuning"
                + " is at least as good as every fusion measured");

    base.put("hap", 200.0);
    assertThat(headline(base))
        .contains("Every fusion measured beats the Hessian-trace baseline `hap`")
        .contains("`hap` does not beat random pruning either");
  }

  @Test
  void headlineSaysWhetherTheBestFusionBeatsTheBestCriterion() {
    Map<String, Double> base = basePerplexities();
    // learned 115 against taylor 112: the criterion wins.
    assertThat(headline(base))
        .contains(
            "Negative result for fusion: the best fusion `learned` ("
                + ppl(base, "learned")
                + ") against the best single criterion `taylor` ("
                + ppl(base, "taylor")
                + ").");
    base.put("simple", 110.0);
    assertThat(headline(base))
        .contains(
            "Fusing pays here: the best fusion `simple` ("
                + ppl(base, "simple")
                + ") against the best single criterion `taylor`");
    // random is a floor, not a criterion
    base.put("random", 50.0);
    assertThat(headline(base)).contains("against the best single criterion `taylor`");
  }

  @Test
  void headlineComparesStabilityWithHap() {
    // learned 0.74 and simple 0.66 both above hap's 0.61.
    assertThat(headline(basePerplexities()))
        .contains("Every fusion is more stable across seeds than `hap`")
        .contains("`hap` 0.610; `learned` 0.740, `simple` 0.660");
  }

  @Test
  void tablesMarkTheBestAndPrintNaForMissingValues() {
    CompareResult r = written;
    for (double f : FRACTIONS) {
      double best =
          r.pruning().stream()
              .filter(p -> p.fraction() == f)
              .mapToDouble(CompareResult.Pruning::perplexity)
              .min()
              .orElseThrow();
      assertThat(md)
          .as("best at %s", f)
          .contains("**" + String.format(Locale.ROOT, "%.2f", best) + "**");
    }
    // hap's per-group ρ on h1.snn is undefined, fusions have no raw pooled ρ, obd no pooled ρ.
    assertThat(line(md, "| `hap` | criterion |")).contains("| n/a |");
    assertThat(line(md, "| `learned` | fusion |")).endsWith("| n/a |");
    assertThat(md).contains("- `hap`: h1.snn: the oracle is constant on this group");
    assertThat(line(md, "| `simple` | 3 |")).contains("| n/a |");
    assertThat(md).contains("| `random` | criterion |").contains("∞");

    List<String> expectedOrder =
        r.ranking().stream()
            .sorted(
                Comparator.comparing(
                    CompareResult.Ranking::pooledNormalised,
                    Comparator.nullsLast(Comparator.<Double>reverseOrder())))
            .map(k -> "| `" + k.scorer() + "` | " + k.kind() + " | " + k.family() + " |")
            .toList();
    String section = md.substring(md.indexOf("## 2 Ranking"), md.indexOf("## 3 Pruning"));
    int previous = -1;
    for (String row : expectedOrder) {
      assertThat(section.indexOf(row)).as(row).isGreaterThan(previous);
      previous = section.indexOf(row);
    }
  }

  @Test
  void groundTruthSummarisesTheOracle() {
    CompareResult r = written;
    long zeros = r.oracle().singles().stream().filter(s -> s.deltaLoss() == 0).count();
    long negative = r.oracle().singles().stream().filter(s -> s.deltaLoss() < 0).count();
    assertThat(md)
        .contains(
            zeros
                + " of "
                + r.oracle().singles().size()
                + " removals leave the loss exactly unchanged")
        .contains("and " + negative + " lower it");
    double measured =
        r.oracle().groups().stream().mapToDouble(CompareResult.GroupAblation::deltaLoss).sum();
    double summed =
        r.oracle().groups().stream().mapToDouble(CompareResult.GroupAblation::sumOfSingles).sum();
    assertThat(md)
        .contains("add up to " + String.format(Locale.ROOT, "%.3f", measured / summed) + " ×");
    double max =
        r.oracle().singles().stream()
            .filter(s -> s.group().equals("h1.rnn"))
            .mapToDouble(CompareResult.SingleAblation::deltaLoss)
            .max()
            .orElseThrow();
    assertThat(line(md, "| h1.rnn | rnn | 8 | 5 |"))
        .contains(String.format(Locale.ROOT, "| %.4g |", max));
  }

  @Test
  void aRunThatMeasuredLittleStillWritesEverySectionAndFile(@TempDir Path dir) throws Exception {
    CompareResult full = result(basePerplexities());
    List<CompareResult.Pruning> three =
        full.pruning().stream()
            .filter(p -> List.of("hap", "learned", "random").contains(p.scorer()))
            .map(
                p ->
                    new CompareResult.Pruning(
                        p.scorer(), p.kind(), p.fraction(), p.removed(), p.perplexity(), null))
            .toList();
    CompareResult.Oracle singlesOnly =
        new CompareResult.Oracle(2, 700, 4.1, false, full.oracle().singles(), List.of());
    CompareResult sparse =
        new CompareResult(
            Map.of("seed", 3),
            FRACTIONS,
            full.model(),
            full.groups(),
            singlesOnly,
            full.ranking().subList(0, 3),
            three,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    String report = Files.readString(CompareReport.write(sparse, dir));

    assertListedFilesExist(report, dir);
    assertThat(report)
        .contains("The command line was not recorded.")
        .contains("No group ablations were measured in this run.")
        .contains("No scorer was fine-tuned in this run.")
        .contains("The snn_ratio rule was not measured in this run.")
        .contains("Progressive validation was not measured in this run.")
        .contains("Stability was not measured in this run.")
        .contains("Scoring time was not measured in this run.")
        .contains("Collection cost was not measured in this run.")
        .contains("The schedule arms were not run in this run.")
        .contains("Stability across seeds could not be compared")
        .contains("For reference, random pruning gives " + ppl(basePerplexities(), "random") + ".")
        .doesNotContain("oracle n/a");
    assertThat(CsvReader.read(dir.resolve("schedules.csv")))
        .containsExactly(
            List.of("arm", "description", "total_steps", "kept_neurons", "perplexity", "seconds"));
  }

  @Test
  void inconsistentInputIsRejectedNamingTheField(@TempDir Path dir) {
    CompareResult r = result(basePerplexities());
    CompareResult descending =
        new CompareResult(
            r.provenance(),
            List.of(0.5, 0.3),
            r.model(),
            r.groups(),
            r.oracle(),
            r.ranking(),
            List.of(),
            List.of(),
            List.of(),
            r.stability(),
            r.scoringCost(),
            r.collectionCost(),
            r.schedules());
    assertThatThrownBy(() -> CompareReport.write(descending, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fractions must be ascending");
    CompareResult stray =
        new CompareResult(
            r.provenance(),
            r.fractions(),
            r.model(),
            r.groups(),
            r.oracle(),
            r.ranking(),
            List.of(new CompareResult.Pruning("hap", "criterion", 0.4, 3, 150, null)),
            List.of(),
            List.of(),
            r.stability(),
            r.scoringCost(),
            r.collectionCost(),
            r.schedules());
    assertThatThrownBy(() -> CompareReport.write(stray, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pruning[0] (hap): fraction 0.4 is not one of fractions");
    CompareResult noStability =
        new CompareResult(
            r.provenance(),
            r.fractions(),
            r.model(),
            r.groups(),
            r.oracle(),
            r.ranking(),
            r.pruning(),
            r.snnRatio(),
            r.progressive(),
            null,
            r.scoringCost(),
            r.collectionCost(),
            r.schedules());
    assertThatThrownBy(() -> CompareReport.write(noStability, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CompareResult.stability is null");
    List<CompareResult.Progressive> twice = List.of(r.progressive().get(0), r.progressive().get(0));
    CompareResult repeated =
        new CompareResult(
            r.provenance(),
            r.fractions(),
            r.model(),
            r.groups(),
            r.oracle(),
            r.ranking(),
            r.pruning(),
            r.snnRatio(),
            twice,
            r.stability(),
            r.scoringCost(),
            r.collectionCost(),
            r.schedules());
    assertThatThrownBy(() -> CompareReport.write(repeated, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("progressive stage weights with fusion simple occurs twice");
  }

  private static String headline(Map<String, Double> base) {
    CompareResult r = result(base);
    return CompareHeadline.paragraph(r, PruningGrid.of(r));
  }

  private static String lowestAtHalf(Map<String, Double> base) {
    return base.keySet().stream()
        .min(Comparator.comparingDouble(s -> perplexity(base, s, 0.5)))
        .orElseThrow();
  }

  private static String ppl(Map<String, Double> base, String scorer) {
    return String.format(Locale.ROOT, "%.2f", perplexity(base, scorer, 0.5));
  }

  /** The first line of {@code md} that starts with {@code prefix}. */
  private static String line(String md, String prefix) {
    return md.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starts with " + prefix));
  }

  /** A CSV number cell: empty = null, {@code inf} = +∞. */
  private static Double number(String cell) {
    if (cell.isEmpty()) {
      return null;
    }
    return cell.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(cell);
  }
}
