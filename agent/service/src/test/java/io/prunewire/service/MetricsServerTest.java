package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsHealthAndReadiness() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    metrics.consumed("activation");
    metrics.consumed("activation");
    metrics.rejected("unknown", "malformed");
    metrics.processingLag(Duration.ofMillis(40));
    metrics.neuronsKept("run-1", "hybrid1", "snn", 17);
    metrics.fusionWeights("run-1", java.util.Map.of("taylor", 0.25));
    metrics.spearman("run-1", "hap", -0.5);
    metrics.stateSize("evidence", "a", 100);
    metrics.stateSize("evidence", "b", 50);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (MetricsServer server =
        MetricsServer.start("127.0.0.1", 0, metrics.registry(), () -> true, ready::get)) {
      HttpResponse<String> m = get(server.port(), "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(m.body())
          .contains("prunewire_events_consumed_total{type=\"activation\"} 2.0")
          .contains("prunewire_events_rejected_total{reason=\"malformed\",type=\"unknown\"} 1.0")
          .contains("prunewire_processing_lag_seconds_count 1")
          .contains("prunewire_neurons_kept{layer=\"hybrid1\",run=\"run-1\",type=\"snn\"} 17.0")
          .contains("prunewire_fusion_weight{criterion=\"taylor\",run=\"run-1\"} 0.25")
          .contains("prunewire_ranking_spearman{run=\"run-1\",scorer=\"hap\"} -0.5")
          .contains("prunewire_state_bytes{store=\"evidence\"} 150.0");
      assertThat(get(server.port(), "/health").statusCode()).isEqualTo(200);
      assertThat(get(server.port(), "/ready").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server.port(), "/ready").statusCode()).isEqualTo(200);
    }
  }
}
