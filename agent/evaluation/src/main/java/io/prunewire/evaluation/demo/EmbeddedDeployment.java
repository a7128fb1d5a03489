package io.prunewire.evaluation.demo;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A whole deployment in this JVM for {@code prunewire demo} and {@code prunewire example}: an
 * embedded single-node KRaft broker on 127.0.0.1 and a running, ready agent on it, with its state
 * in a temporary directory. Everything it starts, and whatever the caller {@link #add adds}, is
 * closed once in reverse order: by {@link #close()} or, when the user stops the process (Ctrl-C),
 * by a shutdown hook, so the agent still leaves its consumer group and no directory stays behind.
 */
public final class EmbeddedDeployment implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Resources resources;
  private final EmbeddedKafka broker;
  private final PrunewireAgent agent;

  private EmbeddedDeployment(Resources resources, EmbeddedKafka broker, PrunewireAgent agent) {
    this.resources = resources;
    this.broker = broker;
    this.agent = agent;
  }

  /**
   * Starts the broker and the agent of {@code config} (its state directory replaced by a fresh
   * temporary one) and waits until the agent is ready, printing each step and the agent's metrics
   * address to {@code out}.
   *
   * @throws IllegalStateException if the agent is not ready within 60 s
   */
  public static EmbeddedDeployment start(AgentConfig config, PrintStream out) throws Exception {
    Resources resources = new Resources();
    try {
      Path stateDir = Files.createTempDirectory("prunewire-state-");
      resources.add(() -> deleteRecursively(stateDir));
      AgentConfig withState = config.toBuilder().stateDir(stateDir).build();
      out.println("starting embedded Kafka broker ...");
      EmbeddedKafka broker =
          resources.add(
              EmbeddedKafka.builder().port(0).partitions(withState.topics().partitions()).start());
      out.println("embedded Kafka broker at " + broker.bootstrapServers());
      PrunewireAgent agent =
          resources.add(PrunewireAgent.start(broker.bootstrapServers(), withState));
      out.println("agent running; metrics on " + metricsUrl(agent));
      if (!agent.awaitReady(READY_TIMEOUT)) {
        throw new IllegalStateException(
            "the agent did not become ready within " + READY_TIMEOUT.toSeconds() + " s");
      }
      return new EmbeddedDeployment(resources, broker, agent);
    } catch (Exception | Error e) {
      try {
        resources.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Where trainers connect. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public PrunewireAgent agent() {
    return agent;
  }

  /** The agent's {@code /metrics} address. */
  public String metricsUrl() {
    return metricsUrl(agent);
  }

  /**
   * Registers {@code resource} (e.g. a trainer's sink) to be closed before the agent and broker.
   */
  public <T extends AutoCloseable> T add(T resource) {
    return resources.add(resource);
  }

  @Override
  public void close() throws Exception {
    resources.close();
  }

  private static String metricsUrl(PrunewireAgent agent) {
    return "http://127.0.0.1:" + agent.metricsPort() + "/metrics";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
