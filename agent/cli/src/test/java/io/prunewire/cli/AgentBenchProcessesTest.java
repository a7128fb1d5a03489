package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.service.bench.AgentThroughput;
import io.prunewire.service.bench.AgentThroughput.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent benchmark's multi-process path: one {@code prunewire agent} child JVM and one process
 * of simulated trainers on an embedded broker, one short offered load and the backlog load (the
 * agent stopped while the trainers send, then started again to drain it).
 */
class AgentBenchProcessesTest {

  @TempDir Path dir;

  @Test
  void anAgentProcessCatchesUpWithATrainerProcessAndDrainsABacklogAfterARestart() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    AgentThroughput.Settings settings =
        new AgentThroughput.Settings(
            1,
            1,
            1,
            2,
            50,
            List.of(400.0),
            Duration.ofSeconds(3),
            5,
            1,
            Duration.ofMillis(100),
            true);
    AgentThroughput.Launch launch =
        new AgentThroughput.Launch(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath),
            List.of(Main.class.getName(), "agent"),
            List.of("-Xmx384m"),
            dir,
            Map.of());
    List<LoadResult> results;
    try (EmbeddedKafka broker = EmbeddedKafka.builder().start()) {
      results = AgentThroughput.run(broker.bootstrapServers(), settings, launch, line -> {});
    }
    assertThat(results).hasSize(2);
    LoadResult offered = results.get(0);
    assertThat(offered.backlog()).isFalse();
    assertCaughtUp(offered);
    // 2 trainers x (RunStarted + 8 summaries per step + a checkpoint every 5 steps)
    assertThat(offered.events()).isGreaterThan(2 * (1 + 5 * 8 + 1));

    LoadResult backlog = results.get(1);
    assertThat(backlog.backlog()).isTrue();
    assertCaughtUp(backlog);
    // the agents were stopped while the trainers sent: nothing was processed before every event
    // was in the topic, so the largest lag is all of them, and the agent started again took over
    // the state of the runs of the first load
    assertThat(backlog.maxLag()).isEqualTo(backlog.events());
    assertThat(backlog.runsHeld()).isEqualTo(2);
    assertThat(backlog.stateBytes()).isGreaterThan(offered.stateBytes());
  }

  private static void assertCaughtUp(LoadResult r) {
    AgentThroughput.LagSample last = r.lag().get(r.lag().size() - 1);
    assertThat(last.produced()).isEqualTo(r.events());
    assertThat(last.lag()).isZero();
    assertThat(r.maxLag()).isPositive();
    assertThat(r.checkpoints()).isPositive();
    // every checkpoint both trainers of the run reached got its decision
    assertThat(r.decisions()).isEqualTo((double) r.checkpoints());
    assertThat(r.agentP50Millis()).isPositive();
    assertThat(r.agentCpuSeconds()).isPositive();
    assertThat(r.trainerCpuSeconds()).isPositive();
    assertThat(r.benchCpuSeconds()).isPositive();
    assertThat(r.stateBytes()).isPositive();
    assertThat(r.eventsPerSecond()).isPositive();
  }
}
