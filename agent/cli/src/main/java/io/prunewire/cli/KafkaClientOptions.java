package io.prunewire.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Kafka client properties for a secured cluster (TLS, SASL) or client tuning, the same way for
 * {@code prunewire agent} and {@code prunewire train}: {@code --kafka-config FILE} first, then each
 * {@code --kafka-property KEY=VALUE}, a flag winning over the file.
 */
final class KafkaClientOptions {

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties file (Java properties, e.g. Kafka's client.properties:"
              + " security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...) for every"
              + " Kafka client of this process.")
  Path file;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description =
          "One Kafka client property, e.g. security.protocol=SASL_SSL; repeatable; wins over"
              + " --kafka-config. Keys this process sets itself (bootstrap.servers, ...) are refused.")
  Map<String, String> flags = new LinkedHashMap<>();

  /**
   * The file's properties overridden by the flags.
   *
   * @throws IllegalArgumentException naming the file and line of a bad line, or an unreadable file
   */
  Map<String, String> resolve() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (file != null) {
      try {
        properties.putAll(KafkaClientFile.read(file));
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--kafka-config " + file + ": no such file", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--kafka-config " + file + ": cannot be read: " + e.getMessage(), e);
      }
    }
    properties.putAll(flags);
    return properties;
  }

  /**
   * The resolved properties of an optional group (picocli leaves it null when none of its flags was
   * given).
   */
  static Map<String, String> resolve(KafkaClientOptions options) {
    return options == null ? Map.of() : options.resolve();
  }
}
