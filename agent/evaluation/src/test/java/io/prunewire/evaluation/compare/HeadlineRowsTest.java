package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlineRowsTest {

  private static final List<CompareResult.Pruning> PRUNING =
      List.of(
          new CompareResult.Pruning("taylor", "criterion", 0.5, 8, 650, null),
          new CompareResult.Pruning("taylor", "criterion", 0.3, 5, 500, null),
          new CompareResult.Pruning("magnitude", "criterion", 0.5, 8, 700, null),
          new CompareResult.Pruning("random", "criterion", 0.5, 8, 600, null),
          new CompareResult.Pruning("hap", "criterion", 0.5, 8, 800, null),
          new CompareResult.Pruning("oracle", "oracle", 0.5, 8, 550, null),
          new CompareResult.Pruning("outcome", "fusion", 0.5, 8, 640, 540.0));
  private static final List<CompareResult.Schedule> ARMS =
      List.of(
          new CompareResult.Schedule("agent", "a", 100, 8, 570, 1),
          new CompareResult.Schedule("gradual-magnitude", "g", 100, 8, 583, 1),
          new CompareResult.Schedule("dense", "d", 100, 16, 520, 1),
          new CompareResult.Schedule("small-dense", "s", 100, 8, 590, 1),
          new CompareResult.Schedule("one-shot", "o", 100, 8, 583, 1));

  @Test
  void aRowTakesOneShotValuesAtHalfAndTheBestCriterionOtherThanRandom() {
    HeadlineRows.Row row = HeadlineRows.row(7, "outcome", PRUNING, ARMS);

    assertThat(row)
        .isEqualTo(
            new HeadlineRows.Row(
                7, 640.0, 650.0, "taylor", 600.0, 800.0, 520.0, 590.0, 570.0, 583.0));
  }

  @Test
  void whatWasNotMeasuredIsNull() {
    HeadlineRows.Row row = HeadlineRows.row(1, "outcome", PRUNING.subList(0, 2), List.of());

    assertThat(row.defaultFusion()).isNull();
    assertThat(row.random()).isNull();
    assertThat(row.dense()).isNull();
    assertThat(row.duringDefault()).isNull();
    assertThat(row.bestSingleName()).isEqualTo("taylor");
  }

  @Test
  void resultsJsonCarriesTheHeadlineWithTheIssuesFieldNames(@TempDir Path dir) throws Exception {
    CompareResult.Model model = new CompareResult.Model("m", 4, 2, 2, 8, 100, 1, 50, true, 0, "d");
    CompareResult r =
        new CompareResult(
            Map.of(),
            List.of(0.3, 0.5),
            model,
            List.of(),
            new CompareResult.Oracle(1, 10, 3.0, false, List.of(), List.of()),
            List.of(),
            PRUNING,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            ARMS,
            new HeadlineRows(
                0.5,
                "outcome",
                "outcome",
                null,
                List.of(HeadlineRows.row(7, "outcome", PRUNING, ARMS))));

    CompareJson.write(r, dir);

    JsonNode headline =
        new ObjectMapper().readTree(dir.resolve(CompareJson.FILE).toFile()).get("headline");
    List<String> top = new ArrayList<>();
    headline.fieldNames().forEachRemaining(top::add);
    assertThat(top)
        .containsExactlyInAnyOrder(
            "fraction", "default_fusion", "agent_fusion", "agent_arm", "rows", "summary");
    List<String> fields = new ArrayList<>();
    headline.get("rows").get(0).fieldNames().forEachRemaining(fields::add);
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
    assertThat(headline.get("rows").get(0).get("default").asDouble()).isEqualTo(640.0);
    assertThat(headline.get("default_fusion").asText()).isEqualTo("outcome");
    assertThat(headline.get("agent_fusion").asText()).isEqualTo("outcome");
  }
}
