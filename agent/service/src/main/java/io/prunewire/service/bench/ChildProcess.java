package io.prunewire.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the benchmark starts (an agent or a simulated trainer process), its output in a log file.
 * Every child still alive when this JVM exits — normally, on Ctrl-C or after a failure — is
 * destroyed by one shutdown hook, so that a benchmark never leaves processes behind.
 */
final class ChildProcess implements AutoCloseable {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-child-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LIVE.add(p);
    return new ChildProcess(name, p, log);
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * Waits until a line of the output matches {@code pattern} and returns its first group.
   *
   * @throws IllegalStateException if the process exits or the time runs out first, with its output
   */
  String awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> found = firstMatch(pattern);
      if (found.isPresent()) {
        return found.get();
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + (process.isAlive() ? " printed no line matching " + pattern : " exited")
                + "; its output ("
                + log
                + "):\n"
                + tail());
      }
      Thread.sleep(100);
    }
  }

  /** The first group of the first output line matching {@code pattern}. */
  Optional<String> firstMatch(Pattern pattern) throws IOException {
    for (String line : Files.readAllLines(log)) {
      Matcher m = pattern.matcher(line);
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The last 40 lines of the output. */
  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Waits for the process to exit on its own; false if it still runs after {@code timeout}. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** User plus system CPU time the process has used so far (zero if the OS does not say). */
  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Resident set size in bytes from {@code /proc/<pid>/status} ({@code VmRSS}), -1 if unknown. */
  long residentBytes() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** SIGTERM (a graceful stop), SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    LIVE.remove(process);
  }
}
