package io.prunewire.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusRunStoryTest {

  @Test
  void parsesARangeAnswerAndDropsNaN() throws IOException {
    String body =
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"layer":"h1.rnn","type":"rnn"},"values":[[100,"8"],[102,"NaN"],[104,"6"]]},
          {"metric":{"layer":"h1.snn","type":"snn"},"values":[[100,"8"]]}]}}""";
    Map<String, List<PrometheusRunStory.Sample>> series =
        PrometheusRunStory.parse(
            body, m -> m.path("layer").asText() + " (" + m.path("type").asText() + ")");
    assertThat(series).containsOnlyKeys("h1.rnn (rnn)", "h1.snn (snn)");
    assertThat(series.get("h1.rnn (rnn)"))
        .containsExactly(
            new PrometheusRunStory.Sample(100, 8), new PrometheusRunStory.Sample(104, 6));
    assertThatThrownBy(
            () -> PrometheusRunStory.parse("{\"status\":\"error\",\"error\":\"bad\"}", null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad");
  }

  @Test
  void samplesLandOnTheStepReachedAtTheirTimeTheLastOneWinning() {
    NavigableMap<Long, Long> stepAt = new TreeMap<>(Map.of(10L, 0L, 20L, 5L, 30L, 9L));
    List<PrometheusRunStory.Sample> loss =
        List.of(
            new PrometheusRunStory.Sample(5, 9.9),
            new PrometheusRunStory.Sample(12, 9.0),
            new PrometheusRunStory.Sample(21, 8.0),
            new PrometheusRunStory.Sample(25, 7.5),
            new PrometheusRunStory.Sample(40, 7.0));
    assertThat(PrometheusRunStory.atSteps(stepAt, loss))
        .containsExactly(
            new RunStory.Point(0, 9.0), new RunStory.Point(5, 7.5), new RunStory.Point(9, 7.0));
  }

  @Test
  void decisionsAreWhereTheAppliedCountRoseWithinTheRange() {
    NavigableMap<Long, Long> stepAt = new TreeMap<>(Map.of(10L, 0L, 20L, 5L, 30L, 9L, 40L, 12L));
    List<PrometheusRunStory.Sample> applied =
        List.of(
            new PrometheusRunStory.Sample(10, 1),
            new PrometheusRunStory.Sample(20, 1),
            new PrometheusRunStory.Sample(30, 2),
            new PrometheusRunStory.Sample(40, 3));
    // the first sample is the baseline: a decision before the range is not marked
    assertThat(PrometheusRunStory.decisionSteps(stepAt, applied)).containsExactly(9L, 12L);
  }

  @Test
  void heldValuesKeepOnlyTheirChangesAndTheLastPoint() {
    List<RunStory.Point> held =
        List.of(
            new RunStory.Point(0, 900),
            new RunStory.Point(3, 900),
            new RunStory.Point(7, 400),
            new RunStory.Point(9, 400),
            new RunStory.Point(12, 400));
    assertThat(PrometheusRunStory.changes(held))
        .containsExactly(
            new RunStory.Point(0, 900), new RunStory.Point(7, 400), new RunStory.Point(12, 400));
  }

  @Test
  void escapesTheRunForAPromqlString() {
    assertThat(PrometheusRunStory.escape("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
  }
}
