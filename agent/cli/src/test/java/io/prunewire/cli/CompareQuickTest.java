package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunewire.scorers.criteria.Criteria;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prunewire compare --quick} end to end, as the README runs it: a real checkpoint trained
 * and cached, real telemetry passes, the oracle, pruning, fine-tunes, and the during-training arms
 * through the real agent on an embedded Kafka broker. Checks that every section of the issue is in
 * the output with numbers that hang together.
 */
class CompareQuickTest {

  @Test
  void quickRunWritesEverySectionWithConsistentNumbers(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    int exit =
        Main.commandLine()
            .execute(
                "compare",
                "--quick",
                // fewer fractions, ratios, widths and fine-tunes than --quick: every section and
                // every consistency check still hold, with about half the prunings to evaluate
                "--fractions",
                "0.3,0.5",
                "--snn-ratios",
                "0.1,0.5",
                "--cost-widths",
                "32,64",
                "--fine-tuned",
                "hap,probed",
                "--out",
                out.toString(),
                "--cache-dir",
                tmp.resolve("cache").toString());
    assertThat(exit).isZero();

    String report = Files.readString(out.resolve("report.md"));
    for (String heading :
        List.of(
            "**Headline.**",
            "## Setup",
            "## 1 Ground truth",
            "## 2 Ranking diagnostic",
            "## 3 Pruning",
            "### snn_ratio",
            "## 4 Progressive validation",
            "## 5 Stability",
            "## 6 Cost",
            "## 7 During training vs after")) {
      assertThat(report).contains(heading);
    }
    for (String png :
        List.of(
            "perplexity-vs-fraction.png", "spearman.png", "stability.png", "cost-vs-width.png")) {
      assertThat(out.resolve(png)).isNotEmptyFile();
    }

    JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    // the model and settings name no folder of the machine (the command line is the user's own)
    assertThat(r.at("/model/checkpointDir").asText()).startsWith("compare-").doesNotContain("/");
    assertThat(r.at("/provenance/settings").asText())
        .contains("embedding=32")
        .doesNotContain(tmp.resolve("cache").toString());
    int neurons = r.at("/model/hiddenNeurons").asInt();
    assertThat(neurons).isEqualTo(2 * (16 + 16));
    assertThat(r.at("/model/validPerplexity").asDouble()).isGreaterThan(1).isLessThan(10_000);
    assertThat(r.at("/oracle/singles")).hasSize(neurons);
    assertThat(r.at("/oracle/groups")).isNotEmpty();

    Set<String> scorers = new HashSet<>();
    r.get("ranking").forEach(row -> scorers.add(row.get("scorer").asText()));
    assertThat(scorers)
        .containsAll(Criteria.defaults().names())
        .contains("simple", "seed", "adaptive", "learned", "probed", "outcome", "oracle");
    assertThat(find(r.get("ranking"), "scorer", "outcome").get("family").asText())
        .contains("rounds of");
    assertThat(find(r.get("ranking"), "scorer", "probed").get("family").asText())
        .contains("chosen by");
    JsonNode oracleRow = find(r.get("ranking"), "scorer", "oracle");
    oracleRow
        .get("perGroup")
        .forEach(
            rho -> {
              if (!rho.isNull()) {
                assertThat(rho.asDouble())
                    .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
              }
            });

    List<Double> fractions = List.of(0.3, 0.5);
    assertThat(r.get("pruning")).hasSize(scorers.size() * fractions.size());
    for (JsonNode p : r.get("pruning")) {
      double f = p.get("fraction").asDouble();
      assertThat(p.get("removed").asInt()).isEqualTo((int) Math.round(f * neurons));
      assertThat(p.get("perplexity").asDouble()).isGreaterThan(1);
      boolean tuned = List.of("hap", "probed").contains(p.get("scorer").asText());
      assertThat(p.get("fineTuned").isNull()).isEqualTo(!tuned);
    }
    // hap and probed, each at both snn_ratio values
    assertThat(r.get("snnRatio")).hasSize(2 * 2);
    for (JsonNode row : r.get("snnRatio")) {
      assertThat(row.get("keptSpiking").asInt() + row.get("keptAnalog").asInt())
          .isEqualTo(neurons / 2);
    }
    assertThat(r.get("progressive")).hasSize(8);
    r.get("progressive").forEach(p -> assertThat(p.get("perplexity")).hasSize(fractions.size()));
    assertThat(r.get("stability")).hasSize(scorers.size());
    for (JsonNode s : r.get("stability")) {
      if (!s.get("scorer").asText().equals("oracle")) {
        assertThat(s.get("jaccard").asDouble()).isBetween(0.0, 1.0);
        assertThat(s.get("seeds").asInt()).isEqualTo(3);
      }
    }
    assertThat(r.get("scoringCost")).hasSize(Criteria.defaults().names().size() * 2);
    assertThat(r.get("collectionCost")).isNotEmpty();
    assertThat(r.get("schedules"))
        .extracting(s -> s.get("arm").asText())
        .containsExactly("dense", "small-dense", "agent", "gradual-magnitude", "one-shot");
    int trainSteps = r.at("/model/trainedSteps").asInt();
    for (JsonNode s : r.get("schedules")) {
      String arm = s.get("arm").asText();
      assertThat(s.get("keptNeurons").asInt())
          .as(arm)
          .isEqualTo(arm.equals("dense") ? neurons : neurons / 2);
      // the arms train as many steps as the checkpoint, less the few the checkpoint spacing rounds
      // off
      int expected =
          switch (arm) {
            case "dense" -> trainSteps;
            case "one-shot" -> trainSteps + 2; // the checkpoint plus --quick's 2 fine-tune steps
            default -> 3 * (trainSteps / 3) - 1;
          };
      assertThat(s.get("totalSteps").asInt()).as(arm).isEqualTo(expected);
    }
    assertThat(find(r.get("schedules"), "arm", "agent").get("description").asText())
        .contains("fusion outcome");

    JsonNode headline = r.get("headline");
    assertThat(headline.get("summary").isNull()).as("one seed has no summary over seeds").isTrue();
    assertThat(headline.get("fraction").asDouble()).isEqualTo(0.5);
    assertThat(headline.get("default_fusion").asText()).isEqualTo("outcome");
    assertThat(headline.get("rows")).hasSize(1);
    JsonNode row = headline.get("rows").get(0);
    List<String> fields = new java.util.ArrayList<>();
    row.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "seed",
            "default",
            "best_single",
            "best_single_name",
            "random",
            "hap",
            "dense",
            "small_dense",
            "during_default",
            "during_gmp");
    // the headline's one-shot numbers are the seed's own measurements, kept in seed-1/
    JsonNode seed =
        new ObjectMapper().readTree(out.resolve("seed-1").resolve("headline.json").toFile());
    assertThat(seed.get("row")).isEqualTo(row);
    assertThat(row.get("default").asDouble()).isEqualTo(oneShot(seed, "outcome"));
    // the full report prunes the first seed's checkpoint from the same telemetry and removals
    assertThat(oneShot(r, "outcome")).isEqualTo(row.get("default").asDouble());
    assertThat(oneShot(r, "probed")).isEqualTo(oneShot(seed, "probed"));
    assertThat(row.get("random").asDouble()).isEqualTo(oneShot(seed, "random"));
    assertThat(row.get("hap").asDouble()).isEqualTo(oneShot(seed, "hap"));
    assertThat(row.get("best_single").asDouble())
        .isEqualTo(oneShot(seed, row.get("best_single_name").asText()));
    assertThat(seed.at("/evaluations/default/nll"))
        .hasSize(seed.at("/evaluations/default/tokens").size());
    for (JsonNode p : seed.get("pruning")) {
      if (p.get("kind").asText().equals("criterion")
          && p.get("fraction").asDouble() == 0.5
          && !p.get("scorer").asText().equals("random")) {
        assertThat(row.get("best_single").asDouble())
            .isLessThanOrEqualTo(p.get("perplexity").asDouble());
      }
    }
    assertThat(row.get("during_default").asDouble())
        .isEqualTo(find(r.get("schedules"), "arm", "agent").get("perplexity").asDouble());
    assertThat(row.get("during_gmp").asDouble())
        .isEqualTo(
            find(r.get("schedules"), "arm", "gradual-magnitude").get("perplexity").asDouble());
    assertThat(row.get("dense").asDouble())
        .isEqualTo(find(r.get("schedules"), "arm", "dense").get("perplexity").asDouble());
    assertThat(row.get("small_dense").asDouble())
        .isEqualTo(find(r.get("schedules"), "arm", "small-dense").get("perplexity").asDouble());
    assertThat(r.at("/provenance/command").asText()).startsWith("prunewire compare --quick");
  }

  private static double oneShot(JsonNode r, String scorer) {
    for (JsonNode p : r.get("pruning")) {
      if (p.get("scorer").asText().equals(scorer) && p.get("fraction").asDouble() == 0.5) {
        return p.get("perplexity").asDouble();
      }
    }
    throw new AssertionError("no pruning row of " + scorer + " at 50 %");
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.get(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no row with " + field + " = " + value);
  }
}
