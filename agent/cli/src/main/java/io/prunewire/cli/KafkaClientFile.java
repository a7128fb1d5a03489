package io.prunewire.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka client properties file, the format of Kafka's own {@code client.properties}: Java
 * properties, one {@code key=value} per line, {@code #} or {@code !} comments, {@code \} continues
 * a line, Java escapes. Stricter than {@link Properties#load} so that mistakes do not pass
 * silently: a line without a separator (a key and nothing else) and a key given twice are errors
 * naming the file and line. An empty value after {@code =} is allowed (e.g. {@code
 * ssl.endpoint.identification.algorithm=}).
 */
final class KafkaClientFile {

  private KafkaClientFile() {}

  /**
   * The properties of {@code file}, in file order.
   *
   * @throws IllegalArgumentException naming the file and line of a bad line
   * @throws IOException if the file cannot be read
   */
  static Map<String, String> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> properties = new LinkedHashMap<>();
    Map<String, Integer> lineOfKey = new HashMap<>();
    int i = 0;
    while (i < lines.size()) {
      int first = i + 1;
      String entry = lines.get(i++);
      String start = entry.stripLeading();
      if (start.isEmpty() || start.startsWith("#") || start.startsWith("!")) {
        continue;
      }
      while (continues(entry) && i < lines.size()) {
        entry = entry + "\n" + lines.get(i++);
      }
      Map.Entry<String, String> kv = parse(file, first, entry);
      Integer earlier = lineOfKey.putIfAbsent(kv.getKey(), first);
      if (earlier != null) {
        throw new IllegalArgumentException(
            where(file, first) + ": '" + kv.getKey() + "' is already set on line " + earlier);
      }
      properties.put(kv.getKey(), kv.getValue());
    }
    return properties;
  }

  /** One logical line, unescaped by the JDK's own rules. */
  private static Map.Entry<String, String> parse(Path file, int line, String entry) {
    Properties one = new Properties();
    try {
      one.load(new StringReader(entry));
    } catch (IllegalArgumentException | IOException e) {
      throw new IllegalArgumentException(
          where(file, line) + ": " + e.getMessage() + " (expected key=value)", e);
    }
    if (one.isEmpty()) {
      throw new IllegalArgumentException(where(file, line) + ": no key=value (expected key=value)");
    }
    String key = one.stringPropertyNames().iterator().next();
    String value = one.getProperty(key);
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          where(file, line) + ": no key before the value (expected key=value)");
    }
    if (value.isEmpty() && entry.indexOf('=') < 0 && entry.indexOf(':') < 0) {
      throw new IllegalArgumentException(
          where(file, line) + ": '" + entry.strip() + "' has no value (expected key=value)");
    }
    return Map.entry(key, value);
  }

  /** Whether a line ends in an odd number of backslashes, i.e. continues on the next line. */
  private static boolean continues(String line) {
    int n = 0;
    for (int j = line.length() - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
      n++;
    }
    return n % 2 == 1;
  }

  private static String where(Path file, int line) {
    return "--kafka-config " + file + " line " + line;
  }
}
