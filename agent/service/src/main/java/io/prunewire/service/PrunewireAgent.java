package io.prunewire.service;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.prunewire.protocol.DecisionSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: creates its topics, runs the Kafka Streams topology and serves {@code
 * /metrics}, {@code /health} and {@code /ready}. {@link #close()} leaves the consumer group at
 * once, so a restarted or replacement instance takes over the partitions without waiting for the
 * session timeout.
 */
public final class PrunewireAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PrunewireAgent.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final AgentConfig config;
  private final AgentMetrics metrics;
  private final KafkaStreams streams;
  private final MetricsServer server;
  private final KafkaStreamsMetrics kafkaMetrics;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PrunewireAgent(
      AgentConfig config,
      AgentMetrics metrics,
      KafkaStreams streams,
      MetricsServer server,
      KafkaStreamsMetrics kafkaMetrics) {
    this.kafkaMetrics = kafkaMetrics;
    this.config = config;
    this.metrics = metrics;
    this.streams = streams;
    this.server = server;
  }

  /**
   * Starts the agent against a broker.
   *
   * @param bootstrapServers the cluster to join (the launcher passes the embedded broker's when
   *     {@link AgentConfig#bootstrapServers()} is empty)
   */
  public static PrunewireAgent start(String bootstrapServers, AgentConfig config) {
    return start(bootstrapServers, config, new RegistryCriteria(config.normalizer().normalizer()));
  }

  static PrunewireAgent start(String bootstrapServers, AgentConfig config, LayerCriteria criteria) {
    AgentMetrics metrics = new AgentMetrics();
    metrics.maxActiveRuns(config.limits().maxActiveRuns());
    TopicSetup.ensure(bootstrapServers, config);
    Topology topology =
        AgentTopology.build(config, metrics, new DecisionMaker(config, criteria), signer(config));
    Properties props = StreamsSettings.of(bootstrapServers, config);
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("agent stream thread failed; replacing it", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    // Kafka's own client metrics, among them the consumer's records-lag per partition.
    KafkaStreamsMetrics kafkaMetrics = new KafkaStreamsMetrics(streams);
    kafkaMetrics.bindTo(metrics.registry());
    MetricsServer server =
        MetricsServer.start(
            config.metricsBind(),
            config.metricsPort(),
            metrics.registry(),
            () -> isHealthy(streams.state()),
            () -> streams.state() == KafkaStreams.State.RUNNING);
    streams.start();
    LOG.info(
        "agent started on Kafka {}: {}; metrics on http://{}:{}/metrics",
        bootstrapServers,
        config,
        config.metricsBind(),
        server.port());
    return new PrunewireAgent(config, metrics, streams, server, kafkaMetrics);
  }

  /**
   * The decision signer of the configured key, read before anything starts so a bad file fails the
   * start.
   */
  private static Optional<DecisionSignatures.Signer> signer(AgentConfig config) {
    if (config.signing().isEmpty()) {
      return Optional.empty();
    }
    AgentConfig.Signing key = config.signing().get();
    Path file = key.keyFile();
    try {
      return Optional.of(DecisionSignatures.Signer.load(key.keyId(), file));
    } catch (IOException e) {
      throw new IllegalArgumentException("signing.key.file " + file + " cannot be read: " + e, e);
    }
  }

  private static boolean isHealthy(KafkaStreams.State state) {
    return state != KafkaStreams.State.ERROR
        && state != KafkaStreams.State.PENDING_ERROR
        && state != KafkaStreams.State.NOT_RUNNING;
  }

  public AgentConfig config() {
    return config;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  /** Port of the HTTP endpoints (resolved when configured as 0). */
  public int metricsPort() {
    return server.port();
  }

  /** Whether the agent processes events (its stream threads run and own their partitions). */
  public boolean isReady() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * One of the agent's stores ({@link AgentTopology}), read-only, across the partitions this
   * instance owns: what the tests read to see what the agent holds.
   */
  ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
  }

  /** Waits until {@link #isReady()} or the timeout passes; returns whether it became ready. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /** Stops processing, commits, leaves the consumer group and stops the HTTP server. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
    server.close();
    kafkaMetrics.close();
    metrics.close();
    LOG.info("agent stopped");
  }
}
