package io.prunewire.evaluation.bench;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.service.bench.AgentThroughput;
import io.prunewire.service.bench.AgentThroughput.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code prunewire bench agent}: {@link AgentThroughput} on a given Kafka cluster or an embedded
 * broker, its results as a Markdown table (and the lag samples as CSV), ending with the highest
 * events/s over the loads.
 */
public final class AgentBench {

  private AgentBench() {}

  /**
   * Runs the loads of {@code s} with the processes {@code launch} starts and prints the results;
   * the last line is {@code events/s N}.
   *
   * @param bootstrapServers the Kafka cluster, or null for an embedded broker of {@code
   *     s.partitions()} partitions in this JVM
   * @param lagCsv where to write the lag samples, or null
   */
  public static void run(
      String bootstrapServers,
      AgentThroughput.Settings s,
      AgentThroughput.Launch launch,
      Path lagCsv,
      PrintStream out)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    out.printf(
        Locale.ROOT,
        "%d agent instance(s), %d trainer process(es), %d runs x %d trainers, layers 2 x %d"
            + " neurons, %d partitions; logs in %s%n",
        s.instances(),
        s.trainerProcesses(),
        s.runs(),
        s.trainersPerRun(),
        s.neurons(),
        s.partitions(),
        launch.workDir());
    EmbeddedKafka broker =
        bootstrapServers == null
            ? EmbeddedKafka.builder().partitions(s.partitions()).start()
            : null;
    List<LoadResult> results;
    try {
      String servers = broker == null ? bootstrapServers : broker.bootstrapServers();
      results =
          AgentThroughput.run(
              servers,
              s,
              launch,
              line -> {
                if (!line.contains(" lag ")) {
                  out.println(line);
                }
              });
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
    print(results, out);
    if (lagCsv != null) {
      writeCsv(results, lagCsv);
    }
    double best = results.stream().mapToDouble(LoadResult::eventsPerSecond).max().orElseThrow();
    out.printf(Locale.ROOT, "events/s %.0f%n", best);
  }

  private static void print(List<LoadResult> results, PrintStream out) {
    out.println(
        "| offered/s | events | events/s | max lag | drain s | decisions/checkpoints | agent p50 ms"
            + " | agent p99 ms | agent CPU ms/event | trainer CPU ms/event | broker+bench CPU"
            + " ms/event | state B/run | state B/neuron | agent RSS MB | changelog MB/s |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (LoadResult r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %.0f | %d | %.1f | %.0f/%d | %.1f | %.1f | %.3f | %.3f | %.3f | %.0f | %.1f"
              + " | %.0f | %.2f |%n",
          label(r),
          r.events(),
          r.eventsPerSecond(),
          r.maxLag(),
          r.drainSeconds(),
          r.decisions(),
          r.checkpoints(),
          r.agentP50Millis(),
          r.agentP99Millis(),
          r.cpuMillisPerEvent(),
          r.trainerCpuMillisPerEvent(),
          r.benchCpuMillisPerEvent(),
          r.stateBytes() / r.runsHeld(),
          r.stateBytes() / r.neuronsHeld(),
          r.agentResidentBytes() / 1e6,
          r.changelogBytes() / 1e6 / r.processSeconds());
    }
  }

  private static String label(LoadResult r) {
    if (r.backlog()) {
      return "backlog";
    }
    return r.offered() == 0 ? "flat out" : String.format(Locale.ROOT, "%.0f", r.offered());
  }

  private static void writeCsv(List<LoadResult> results, Path file) throws IOException {
    StringBuilder csv = new StringBuilder("load,offered,seconds,produced,processed,lag\n");
    for (int i = 0; i < results.size(); i++) {
      LoadResult r = results.get(i);
      for (AgentThroughput.LagSample sample : r.lag()) {
        csv.append(
            String.format(
                Locale.ROOT,
                "%d,%s,%.2f,%d,%d,%d%n",
                i,
                r.backlog() ? "backlog" : String.format(Locale.ROOT, "%.0f", r.offered()),
                sample.seconds(),
                sample.produced(),
                sample.processed(),
                sample.lag()));
      }
    }
    Files.writeString(file, csv);
  }
}
