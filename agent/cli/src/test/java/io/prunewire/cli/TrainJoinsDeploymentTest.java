package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code prunewire train --bootstrap-servers} against a real embedded broker and an in-process
 * agent: the tiny run's one checkpoint gets a decision that prunes neurons, and its own /metrics,
 * scraped over HTTP while it trains, carries the sink's drop counter, buffer gauge and
 * circuit-breaker state, and after the decision the model's step, loss, perplexity, kept neurons
 * and the decision's held-out loss.
 */
class TrainJoinsDeploymentTest {

  /** Bounds the waits on the tiny run; they end as soon as the run exits. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  private static final List<String> TRAINER_METRICS =
      List.of(
          "prunewire_trainer_events_dropped_total",
          "prunewire_trainer_buffer_bytes",
          "resilience4j_circuitbreaker_state",
          "prunewire_trainer_decisions_applied_total{run=\"fleet-test\",trainer=\"t0\"} 1.0");

  @Test
  void tinyRunReceivesADecisionAndServesItsSinkMetrics(
      @TempDir Path stateDir, @TempDir Path exportDir) throws Exception {
    Path shrunk = exportDir.resolve("model").resolve("shrunk.zip");
    try (EmbeddedKafka broker = EmbeddedKafka.builder().port(0).partitions(2).start();
        PrunewireAgent agent =
            PrunewireAgent.start(
                broker.bootstrapServers(),
                AgentConfig.builder()
                    .stateDir(stateDir)
                    .partitions(2)
                    .metricsBind("127.0.0.1")
                    .metricsPort(0)
                    .build())) {
      assertThat(agent.awaitReady(Duration.ofSeconds(60))).isTrue();
      StringWriter out = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  cli.execute(
                      "train",
                      "--quick",
                      "--epochs",
                      "1",
                      "--embedding",
                      "8",
                      "--rnn",
                      "8",
                      "--snn",
                      "8",
                      "--bootstrap-servers",
                      broker.bootstrapServers(),
                      "--run-id",
                      "fleet-test",
                      "--trainer-id",
                      "t0",
                      "--checkpoints",
                      "1",
                      "--target",
                      "0.5",
                      "--decision-timeout",
                      "60",
                      "--recovery-steps",
                      "2",
                      "--outcome-batches",
                      "3",
                      "--metrics-port",
                      "0",
                      "--metrics-linger",
                      "20",
                      "--export-shrunk",
                      shrunk.toString()));

      String scrape = scrapeWhileRunning(out, run);
      String labels = "\\{[^}]*run=\"fleet-test\"[^}]*trainer=\"t0\"[^}]*\\}";
      // Training done, the sink still open while /metrics lingers: what it held is delivered, none
      // dropped.
      String drained =
          scrapeAfterTrainingUntil(
              out, run, body -> value(body, "prunewire_trainer_buffer_bytes" + labels) == 0);
      assertThat(value(drained, "prunewire_trainer_events_dropped_total" + labels)).isZero();

      assertThat(run.get()).as(out.toString()).isZero();
      assertThat(out.toString())
          .contains("removal candidates measured after 2 recovery steps from the training's")
          .contains(
              "removal candidates measured on 3 test windows each, with their standard error");
      Matcher pruned =
          Pattern.compile("pruning: (\\d+) of 32 hidden neurons pruned").matcher(out.toString());
      assertThat(pruned.find()).as(out.toString()).isTrue();
      // cubic schedule, one checkpoint: round(32 · 0.5) removals, unless the agent's guards keep
      // more
      assertThat(Integer.parseInt(pruned.group(1))).isBetween(1, 16);
      assertThat(value(scrape, "prunewire_trainer_events_dropped_total" + labels)).isZero();
      assertThat(value(scrape, "resilience4j_circuitbreaker_state\\{[^}]*state=\"closed\"[^}]*\\}"))
          .isEqualTo(1);
      assertThat(value(scrape, "resilience4j_circuitbreaker_state\\{[^}]*state=\"open\"[^}]*\\}"))
          .isZero();
      assertThat(
              value(
                  scrape,
                  "resilience4j_circuitbreaker_state\\{[^}]*run=\"fleet-test\"[^}]*state=\"closed\"[^}]*trainer=\"t0\"[^}]*\\}"))
          .as("the breaker carries run and trainer")
          .isEqualTo(1);
      int prunedNeurons = Integer.parseInt(pruned.group(1));
      Matcher exported =
          Pattern.compile("exported the shrunk network \\(([\\d,]+) of ([\\d,]+) parameters\\)")
              .matcher(out.toString());
      assertThat(exported.find()).as(out.toString()).isTrue();
      long shrunkParams = Long.parseLong(exported.group(1).replace(",", ""));
      assertThat(shrunkParams).isLessThan(Long.parseLong(exported.group(2).replace(",", "")));
      assertThat(ModelSerializer.restoreMultiLayerNetwork(shrunk.toFile(), false).numParams())
          .isEqualTo(shrunkParams);
      assertThat(value(scrape, "prunewire_trainer_step" + labels)).isPositive();
      assertThat(value(scrape, "prunewire_trainer_training_loss" + labels)).isPositive().isFinite();
      assertThat(value(scrape, "prunewire_trainer_tokens_per_second" + labels)).isPositive();
      assertThat(value(scrape, "prunewire_trainer_validation_perplexity" + labels))
          .isGreaterThan(1);
      double kept = 0;
      Matcher layers =
          Pattern.compile("(?m)^prunewire_trainer_neurons_kept\\{[^}]*\\} (\\S+)$").matcher(scrape);
      while (layers.find()) {
        kept += Double.parseDouble(layers.group(1));
      }
      assertThat(kept).isEqualTo(32 - prunedNeurons);
      assertThat(
              value(
                  scrape, "prunewire_trainer_decision_heldout_loss\\{[^}]*when=\"before\"[^}]*\\}"))
          .isPositive();
      assertThat(
              value(
                  scrape, "prunewire_trainer_decision_heldout_loss\\{[^}]*when=\"after\"[^}]*\\}"))
          .isPositive();
    }
  }

  /**
   * Polls every 200 ms for up to the run's timeout, and fails at once with {@code why} when the
   * trainer's command ended first.
   */
  private static ConditionFactory whileTheTrainerRuns(
      String alias, CompletableFuture<Integer> run, Supplier<String> why) {
    return await(alias)
        .atMost(RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .failFast("the trainer exited first", () -> assertThat(run.isDone()).as(why).isFalse());
  }

  /**
   * Scrapes the trainer's /metrics after it printed that training is done (it lingers, sink open)
   * until {@code done} holds, or fails once the command ended without it.
   */
  private static String scrapeAfterTrainingUntil(
      StringWriter out, CompletableFuture<Integer> run, Predicate<String> done) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Matcher m = Pattern.compile("metrics on (http://\\S+/metrics)").matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    HttpRequest get = HttpRequest.newBuilder(URI.create(m.group(1))).build();
    AtomicReference<String> last = new AtomicReference<>("");
    return whileTheTrainerRuns(
            "the trainer's /metrics after training",
            run,
            () ->
                String.format(
                    "after training the trainer's /metrics never met the condition;"
                        + " output:%n%s%nlast scrape:%n%s",
                    out, last.get()))
        .until(
            () -> {
              if (!out.toString().contains("training done")) {
                return Optional.<String>empty();
              }
              try {
                last.set(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
              } catch (IOException closing) {
                last.set("(" + closing + ")"); // the linger ended between the check and the request
                return Optional.<String>empty();
              }
              return Optional.of(last.get()).filter(done);
            },
            Optional::isPresent)
        .orElseThrow();
  }

  /**
   * Scrapes the address the trainer printed (it binds any free port) until it serves the sink's
   * meters and has applied the decision, or fails once the run ended without them.
   */
  private static String scrapeWhileRunning(StringWriter out, CompletableFuture<Integer> run) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Pattern printed = Pattern.compile("metrics on (http://\\S+/metrics)");
    return whileTheTrainerRuns(
            "the trainer's /metrics serving " + TRAINER_METRICS,
            run,
            () ->
                "the trainer's /metrics never served "
                    + TRAINER_METRICS
                    + "; exit "
                    + run.handle((code, e) -> e == null ? code : e).join())
        .until(
            () -> {
              Matcher m = printed.matcher(out.toString());
              if (!m.find()) {
                return Optional.<String>empty();
              }
              try {
                HttpResponse<String> r =
                    http.send(
                        HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                        HttpResponse.BodyHandlers.ofString());
                return Optional.of(r)
                    .filter(
                        ok ->
                            ok.statusCode() == 200
                                && TRAINER_METRICS.stream().allMatch(ok.body()::contains))
                    .map(HttpResponse::body);
              } catch (IOException notYetListening) {
                // the command is still loading the corpus and building the model
                return Optional.<String>empty();
              }
            },
            Optional::isPresent)
        .orElseThrow();
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in%n%s", series, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
