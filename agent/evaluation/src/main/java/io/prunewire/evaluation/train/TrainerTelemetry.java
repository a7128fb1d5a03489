package io.prunewire.evaluation.train;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prunewire.service.MetricsServer;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.kafka.SinkMetrics;
import io.prunewire.trainer.listener.TrainingMetrics;

/**
 * A trainer process's link to a Prunewire deployment: the {@link KafkaTelemetrySink} its {@code
 * PruningListener} publishes through, and its own {@code /metrics} (the sink's meters from {@link
 * SinkMetrics}, the model's from {@link TrainingMetrics}, plus JVM memory, threads, GC and CPU)
 * served by the agent's {@link MetricsServer}; {@code /health} answers 200 while it runs, {@code
 * /ready} while its decision receiver reads decisions (503 while it starts or retries, e.g. with
 * refused credentials). {@link #close()} stops the server, then flushes and closes the sink.
 */
public final class TrainerTelemetry implements AutoCloseable {

  private final KafkaTelemetrySink sink;
  private final JvmGcMetrics gcMetrics;
  private final MetricsServer server;
  private final TrainingMetrics training;

  private TrainerTelemetry(
      KafkaTelemetrySink sink,
      JvmGcMetrics gcMetrics,
      MetricsServer server,
      TrainingMetrics training) {
    this.sink = sink;
    this.gcMetrics = gcMetrics;
    this.server = server;
    this.training = training;
  }

  /**
   * Connects the sink and starts serving its meters.
   *
   * @param builder the sink as configured by the caller (topics, Kafka client properties, decision
   *     keys)
   * @param bind address of {@code /metrics} ({@code 127.0.0.1} unless Prometheus scrapes from
   *     elsewhere)
   * @param port port of {@code /metrics}, or 0 for a free one (see {@link #metricsPort()})
   */
  public static TrainerTelemetry start(
      KafkaTelemetrySink.Builder builder, String runId, String trainerId, String bind, int port) {
    KafkaTelemetrySink sink = builder.build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmGcMetrics gc = new JvmGcMetrics();
    try {
      SinkMetrics.bind(sink, registry);
      TrainingMetrics training = TrainingMetrics.register(registry, runId, trainerId);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      gc.bindTo(registry);
      // Ready while the decision receiver reads decisions: not while the broker refuses its
      // credentials.
      return new TrainerTelemetry(
          sink,
          gc,
          MetricsServer.start(
              bind, port, registry, () -> true, () -> sink.receiverState().equals("RECEIVING")),
          training);
    } catch (RuntimeException e) {
      gc.close();
      sink.close();
      throw e;
    }
  }

  public KafkaTelemetrySink sink() {
    return sink;
  }

  /**
   * The model's meters: step, loss, throughput, perplexity, kept neurons, each decision's damage.
   */
  public TrainingMetrics training() {
    return training;
  }

  /** The bound {@code /metrics} port. */
  public int metricsPort() {
    return server.port();
  }

  @Override
  public void close() {
    try {
      server.close();
      gcMetrics.close();
    } finally {
      sink.close();
    }
  }
}
