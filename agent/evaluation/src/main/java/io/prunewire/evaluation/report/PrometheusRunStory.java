package io.prunewire.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A run's story from Prometheus' {@code query_range} API: what the trainers and the agent exported
 * ({@code prunewire_trainer_step}, {@code _training_loss}, {@code _validation_perplexity}, {@code
 * _decisions_applied_total}, {@code _neurons_kept}, and the agent's {@code
 * prunewire_fusion_weight}), each sample placed at the training step the trainers had reached at
 * its time. Trainers of one run are averaged (loss, perplexity) or maximised (step, decisions, kept
 * neurons).
 */
public final class PrometheusRunStory {

  /** Prometheus answers at most 11,000 points per series. */
  static final int MAX_POINTS = 11_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;

  private PrometheusRunStory(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /**
   * @param since how far back from {@code end} to look for the run
   * @throws IllegalArgumentException when Prometheus holds no step of the run in that range
   */
  public static RunStory read(String prometheusUrl, String run, Instant end, Duration since)
      throws IOException, InterruptedException {
    return new PrometheusRunStory(prometheusUrl).story(run, end.minus(since), end);
  }

  private RunStory story(String run, Instant start, Instant end)
      throws IOException, InterruptedException {
    long stepSeconds =
        Math.max(1, (end.getEpochSecond() - start.getEpochSecond()) / (MAX_POINTS - 1) + 1);
    Range range = new Range(start.getEpochSecond(), end.getEpochSecond(), stepSeconds);
    String selector = "{run=\"" + escape(run) + "\"}";
    Map<String, List<Sample>> steps =
        query(range, "max(prunewire_trainer_step" + selector + ")", null);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(
          "Prometheus at "
              + baseUrl
              + " has no prunewire_trainer_step of run '"
              + run
              + "' between "
              + start
              + " and "
              + end
              + " (is the trainer scraped? widen --since)");
    }
    NavigableMap<Long, Long> stepAt = new TreeMap<>();
    steps.values().iterator().next().forEach(s -> stepAt.put(s.time(), (long) s.value()));
    return new RunStory(
        run,
        baseUrl,
        atSteps(
            stepAt,
            only(query(range, "avg(prunewire_trainer_training_loss" + selector + ")", null))),
        changes(
            atSteps(
                stepAt,
                only(
                    query(
                        range,
                        "avg(prunewire_trainer_validation_perplexity" + selector + ")",
                        null)))),
        decisionSteps(
            stepAt,
            only(
                query(
                    range,
                    "max(prunewire_trainer_decisions_applied_total" + selector + ")",
                    null))),
        bySeries(
            stepAt,
            query(
                range,
                "max by (layer, type) (prunewire_trainer_neurons_kept" + selector + ")",
                m -> m.path("layer").asText() + " (" + m.path("type").asText() + ")")),
        bySeries(
            stepAt,
            query(
                range,
                "max by (criterion) (prunewire_fusion_weight" + selector + ")",
                m -> m.path("criterion").asText())));
  }

  /** One sample of a range query: Unix seconds and value. */
  record Sample(long time, double value) {}

  private record Range(long start, long end, long step) {}

  /** Names a series by its labels; null for a query that returns one series. */
  interface SeriesName {
    String of(JsonNode metric);
  }

  private Map<String, List<Sample>> query(Range range, String promql, SeriesName name)
      throws IOException, InterruptedException {
    String url =
        baseUrl
            + "/api/v1/query_range?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&start="
            + range.start()
            + "&end="
            + range.end()
            + "&step="
            + range.step();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "Prometheus at "
              + baseUrl
              + " answered "
              + response.statusCode()
              + " to "
              + promql
              + ": "
              + response.body());
    }
    return parse(response.body(), name);
  }

  /** The series of a {@code query_range} answer, named by {@code name} (or "" when null). */
  static Map<String, List<Sample>> parse(String body, SeriesName name) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!"success".equals(root.path("status").asText())) {
      throw new IOException("Prometheus query failed: " + body);
    }
    Map<String, List<Sample>> out = new LinkedHashMap<>();
    for (JsonNode series : root.path("data").path("result")) {
      List<Sample> samples = new ArrayList<>();
      for (JsonNode v : series.path("values")) {
        double value = Double.parseDouble(v.get(1).asText());
        if (Double.isFinite(value)) {
          samples.add(new Sample(v.get(0).asLong(), value));
        }
      }
      out.put(name == null ? "" : name.of(series.path("metric")), samples);
    }
    return out;
  }

  private static List<Sample> only(Map<String, List<Sample>> series) {
    return series.isEmpty() ? List.of() : series.values().iterator().next();
  }

  /**
   * Samples placed at the step reached at their time; of several samples at one step the last wins
   * (gauges hold their value between scrapes). Samples before the first known step are dropped.
   */
  static List<RunStory.Point> atSteps(NavigableMap<Long, Long> stepAt, List<Sample> samples) {
    Map<Long, Double> byStep = new LinkedHashMap<>();
    for (Sample s : samples) {
      Map.Entry<Long, Long> step = stepAt.floorEntry(s.time());
      if (step != null) {
        byStep.remove(step.getValue());
        byStep.put(step.getValue(), s.value());
      }
    }
    List<RunStory.Point> points = new ArrayList<>();
    byStep.forEach((step, value) -> points.add(new RunStory.Point(step, value)));
    return points;
  }

  /**
   * The points where a held value changed (and the last one): a gauge repeats its value at every
   * scrape until the next evaluation or decision.
   */
  static List<RunStory.Point> changes(List<RunStory.Point> points) {
    List<RunStory.Point> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (i == 0 || i == points.size() - 1 || points.get(i).value() != points.get(i - 1).value()) {
        out.add(points.get(i));
      }
    }
    return out;
  }

  /**
   * The steps at which the count of applied decisions rose (within the range: its first sample is
   * the baseline).
   */
  static List<Long> decisionSteps(NavigableMap<Long, Long> stepAt, List<Sample> applied) {
    List<Long> steps = new ArrayList<>();
    double previous = applied.isEmpty() ? 0 : applied.get(0).value();
    for (Sample s : applied) {
      Map.Entry<Long, Long> step = stepAt.floorEntry(s.time());
      if (s.value() > previous && step != null) {
        steps.add(step.getValue());
      }
      previous = s.value();
    }
    return steps;
  }

  private static Map<String, List<RunStory.Point>> bySeries(
      NavigableMap<Long, Long> stepAt, Map<String, List<Sample>> series) {
    Map<String, List<RunStory.Point>> out = new TreeMap<>();
    series.forEach(
        (name, samples) -> {
          List<RunStory.Point> points = changes(atSteps(stepAt, samples));
          if (!points.isEmpty()) {
            out.put(name, points);
          }
        });
    return out;
  }

  /** A PromQL double-quoted string's content. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
