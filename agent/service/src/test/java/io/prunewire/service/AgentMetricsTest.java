package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.EventType;
import io.prunewire.protocol.RejectReason;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

  @Test
  void aCleanAgentExportsEveryCounterAtZero() {
    try (AgentMetrics metrics = new AgentMetrics()) {
      String scrape = metrics.scrape();
      for (RejectReason r : RejectReason.values()) {
        assertThat(scrape)
            .contains(
                "prunewire_events_rejected_total{reason=\""
                    + r.code()
                    + "\",type=\"unknown\"} 0.0");
        assertThat(scrape)
            .contains(
                "prunewire_events_rejected_total{reason=\""
                    + r.code()
                    + "\",type=\"checkpoint\"} 0.0");
      }
      for (EventType t : EventType.values()) {
        assertThat(scrape)
            .contains(
                "prunewire_events_consumed_total{type=\""
                    + TelemetryProcessor.typeTag(t)
                    + "\"} 0.0");
      }
      assertThat(scrape)
          .contains("prunewire_decisions_total{reason=\"complete\"} 0.0")
          .contains("prunewire_decisions_total{reason=\"timeout\"} 0.0")
          .contains("prunewire_decisions_republished_total 0.0")
          .contains("prunewire_decision_acks_total{result=\"match\"} 0.0")
          .contains("prunewire_decision_acks_total{result=\"mismatch\"} 0.0")
          .contains("prunewire_runs_retired_total 0.0");
    }
  }

  @Test
  void aRetiredRunLeavesNoSeriesBehindAndOtherRunsKeepTheirs() {
    try (AgentMetrics metrics = new AgentMetrics()) {
      for (String run : new String[] {"run-1", "run-2"}) {
        metrics.barrier(run, Duration.ofMillis(10), 1);
        metrics.decision(run, "complete", Duration.ofMillis(5));
        metrics.neuronsKept(run, "h1", "rnn", 7);
        metrics.fusionWeights(run, Map.of("taylor", 0.25));
        metrics.spearman(run, "learned", 0.5);
        metrics.fusedScores(run, "h1", new double[] {0.1, 0.9});
        metrics.candidatesMeasured(run, 3);
        metrics.rankAgreement(run, "h1", "kendall", 0.2);
        metrics.layerWeights(run, "h1", Map.of("taylor", 1.0));
      }
      String before = metrics.scrape();
      assertThat(before)
          .contains("prunewire_fusion_weight{criterion=\"taylor\",run=\"run-1\"} 0.25");
      long seriesOfRun1 = before.lines().filter(l -> l.contains("run=\"run-1\"")).count();
      assertThat(seriesOfRun1)
          .as("per-run series before")
          .isEqualTo(before.lines().filter(l -> l.contains("run=\"run-2\"")).count())
          .isGreaterThanOrEqualTo(15);

      metrics.runRetired("run-1");
      String after = metrics.scrape();
      assertThat(after.lines().filter(l -> l.contains("run=\"run-1\"")))
          .as("series of the retired run")
          .isEmpty();
      assertThat(after.lines().filter(l -> l.contains("run=\"run-2\"")))
          .hasSize((int) seriesOfRun1);
      assertThat(after).contains("prunewire_runs_retired_total 1.0");

      // The same run id started again: its next decision registers its gauges anew.
      metrics.fusionWeights("run-1", Map.of("taylor", 0.75));
      assertThat(metrics.scrape())
          .contains("prunewire_fusion_weight{criterion=\"taylor\",run=\"run-1\"} 0.75");
    }
  }

  @Test
  void aCriterionThatLeftTheFusionDropsToZeroInThatRunAndLayerOnly() {
    try (AgentMetrics metrics = new AgentMetrics()) {
      metrics.fusionWeights("run-1", Map.of("magnitude", 1.0));
      metrics.fusionWeights("run-2", Map.of("magnitude", 1.0));
      metrics.layerWeights("run-1", "h1", Map.of("magnitude", 1.0));
      metrics.layerWeights("run-1", "h2", Map.of("magnitude", 1.0));

      metrics.fusionWeights("run-1", Map.of("weight_outgoing", 1.0));
      metrics.layerWeights("run-1", "h1", Map.of("weight_outgoing", 0.5, "fisher", 0.5));

      assertThat(metrics.scrape())
          .contains("prunewire_fusion_weight{criterion=\"magnitude\",run=\"run-1\"} 0.0")
          .contains("prunewire_fusion_weight{criterion=\"weight_outgoing\",run=\"run-1\"} 1.0")
          .contains("prunewire_fusion_weight{criterion=\"magnitude\",run=\"run-2\"} 1.0")
          .contains(
              "prunewire_fusion_criteria_weight{criterion=\"magnitude\",layer=\"h1\",run=\"run-1\"} 0.0")
          .contains(
              "prunewire_fusion_criteria_weight{criterion=\"fisher\",layer=\"h1\",run=\"run-1\"} 0.5")
          .contains(
              "prunewire_fusion_criteria_weight{criterion=\"magnitude\",layer=\"h2\",run=\"run-1\"} 1.0");
    }
  }

  @Test
  void activeRunsArePerPartitionAndLeaveWithThePartition() {
    try (AgentMetrics metrics = new AgentMetrics()) {
      metrics.activeRuns(0, 3);
      metrics.activeRuns(1, 1);
      metrics.activeRuns(0, 2);
      assertThat(metrics.scrape())
          .contains("prunewire_active_runs{partition=\"0\"} 2.0")
          .contains("prunewire_active_runs{partition=\"1\"} 1.0");
      metrics.partitionClosed(0);
      assertThat(metrics.scrape())
          .doesNotContain("prunewire_active_runs{partition=\"0\"}")
          .contains("prunewire_active_runs{partition=\"1\"} 1.0");
      metrics.maxActiveRuns(256);
      assertThat(metrics.scrape()).contains("prunewire_max_active_runs 256.0");
    }
  }

  @Test
  void lastDecisionValuesAreGaugesAndLatenciesHistograms() {
    try (AgentMetrics metrics = new AgentMetrics()) {
      metrics.barrier("run-1", Duration.ofMillis(1500), 0);
      metrics.decision("run-1", "complete", Duration.ofMillis(40));
      metrics.processingLag(Duration.ofMillis(700));
      // 10 scores 0.1 .. 1.0: nearest-rank p10 = 0.1, p50 = 0.5, p90 = 0.9
      double[] scores = new double[10];
      for (int i = 0; i < scores.length; i++) {
        scores[scores.length - 1 - i] = (i + 1) / 10.0;
      }
      metrics.fusedScores("run-1", "h1.rnn", scores);
      String scrape = metrics.scrape();
      assertThat(scrape)
          .contains("prunewire_last_decision_latency_seconds{run=\"run-1\"} 0.04")
          .contains("prunewire_last_barrier_wait_seconds{run=\"run-1\"} 1.5")
          .contains("prunewire_last_processing_lag_seconds 0.7")
          .contains("prunewire_decision_latency_seconds_bucket{le=\"0.05\"} 1")
          .contains("prunewire_decision_latency_seconds_bucket{le=\"0.025\"} 0")
          .contains("prunewire_barrier_wait_seconds_bucket{le=\"2.5\"} 1")
          .contains("prunewire_processing_lag_seconds_bucket{le=\"1.0\"} 1")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"min\"} 0.1")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"p10\"} 0.1")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"p50\"} 0.5")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"p90\"} 0.9")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"max\"} 1.0")
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"mean\"} 0.55");
      assertThat(metrics.decisionLatencyMillis(0.99)).isGreaterThan(0);
      // the next decision replaces the held values
      metrics.fusedScores("run-1", "h1.rnn", new double[] {0.3});
      assertThat(metrics.scrape())
          .contains(
              "prunewire_decision_fused_score{layer=\"h1.rnn\",run=\"run-1\",stat=\"max\"} 0.3");
    }
  }
}
