package io.prunewire.service;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An agent in a JVM of its own, so that a test can kill it as a crash does ({@link #kill()},
 * SIGKILL): no shutdown hook, no leave-group request, a transaction left open. Settings are passed
 * as {@code key=value} arguments ({@link AgentConfig#keys()}), Kafka client properties as {@code
 * kafka:key=value}; the child prints its metrics port, which {@link #metrics()} reads.
 */
final class AgentProcess implements AutoCloseable {

  private static final String PORT_LINE = "agent-process metrics-port=";

  private final Process process;
  private final Path log;
  private final int metricsPort;

  private AgentProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts an agent process and waits until it printed its metrics port (not until it is ready).
   */
  static AgentProcess start(
      String bootstrap, Map<String, String> settings, Map<String, String> kafka, Path log)
      throws IOException, InterruptedException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                AgentProcess.class.getName(),
                bootstrap));
    settings.forEach((k, v) -> cmd.add(k + "=" + v));
    kafka.forEach((k, v) -> cmd.add("kafka:" + k + "=" + v));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Optional<String> port;
    try {
      port =
          await("the agent process prints its metrics port (or exits)")
              .atMost(Duration.ofSeconds(90))
              .until(() -> portLine(log), found -> found.isPresent() || !p.isAlive());
    } catch (ConditionTimeoutException e) {
      port = Optional.empty();
    }
    if (port.isEmpty()) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "agent process did not start; its output: " + Files.readString(log));
    }
    return new AgentProcess(p, log, Integer.parseInt(port.get().trim()));
  }

  private static Optional<String> portLine(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith(PORT_LINE))
        .findFirst()
        .map(l -> l.substring(PORT_LINE.length()));
  }

  /** This process's {@code /metrics} text, empty if it does not answer. */
  String metrics() {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * Whether {@code /ready} answers 200: the agent's stream threads run and own their partitions.
   */
  boolean ready() {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The value of one sample of {@link #metrics()}, e.g. {@code
   * prunewire_active_runs{partition="0"}}; -1 if absent.
   */
  double sample(String nameAndLabels) {
    return metrics()
        .lines()
        .filter(l -> l.startsWith(nameAndLabels + " "))
        .findFirst()
        .map(l -> Double.parseDouble(l.substring(nameAndLabels.length() + 1).trim()))
        .orElse(-1.0);
  }

  /** SIGKILL, as a crashed machine or OOM killer would; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Path log() {
    return log;
  }

  /** SIGTERM (the agent closes and leaves the group), SIGKILL if it does not exit in 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** The child: {@code bootstrap key=value... kafka:key=value...}. */
  public static void main(String[] args) throws Exception {
    AgentConfig.Builder b = AgentConfig.builder();
    Map<String, String> kafka = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (a.startsWith("kafka:")) {
        kafka.put(a.substring("kafka:".length(), eq), a.substring(eq + 1));
      } else {
        b.set(a.substring(0, eq), a.substring(eq + 1), "argument " + i);
      }
    }
    PrunewireAgent agent = PrunewireAgent.start(args[0], b.kafkaClientProperties(kafka).build());
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
    System.out.println(PORT_LINE + agent.metricsPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
