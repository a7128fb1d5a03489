package io.prunewire.evaluation.demo;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Where a demo's numbers come from: invocation, configuration, data checksum, machine, time. */
public final class Provenance {

  private static final String PTB = "/io/prunewire/trainer/data/ptb/";
  private static final String[] PTB_FILES = {"train.txt.gz", "valid.txt.gz", "test.txt.gz"};

  private Provenance() {}

  static Map<String, Object> of(
      String commandLine,
      DemoSettings settings,
      WorkloadConfig config,
      String runId,
      String metricsUrl,
      double wallSeconds) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("command", commandLine);
    p.put("finished", Instant.now().toString());
    p.put("run", runId);
    p.put("seed", settings.seed());
    p.put("settings", settings.toString());
    p.put("model", config.toString());
    p.put("ptb_sha256", ptbChecksum());
    p.put("machine", machine());
    p.put("load_average", loadAverage());
    p.put("metrics", metricsUrl);
    p.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
    return p;
  }

  /**
   * A path as a committed report may show it: as given when relative, {@code <name>} when absolute
   * (a folder of this machine means nothing to a reader and names its owner).
   */
  public static String shown(Path path, String name) {
    return path.isAbsolute() ? "<" + name + ">" : path.toString();
  }

  /** Operating system, cores, maximum heap and Java version. */
  public static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "%s %s %s, %d cores, max heap %d MiB, Java %s",
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        rt.availableProcessors(),
        rt.maxMemory() >> 20,
        System.getProperty("java.version"));
  }

  /** The 1, 5 and 15 minute load averages: on a shared machine they explain the wall time. */
  public static String loadAverage() {
    double one =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
              .trim()
              .split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
    } catch (IOException e) {
      return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", one);
    }
  }

  /** SHA-256 over the vendored gzipped PTB splits, in train, valid, test order. */
  public static String ptbChecksum() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String f : PTB_FILES) {
        try (InputStream in = PtbCorpus.class.getResourceAsStream(PTB + f)) {
          if (in == null) {
            throw new IllegalStateException("vendored PTB resource " + PTB + f + " is missing");
          }
          sha.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(sha.digest()) + " (train, valid, test .txt.gz)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
