package io.prunewire.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.prunewire.service.AgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository's deploy/ and dashboards/ files, parsed strictly (a syntax error fails the test).
 */
final class Repo {

  /** The repository root: tests run in agent/monitoring-it. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Repo() {}

  static Path path(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException(relative + " does not exist under " + ROOT);
    }
    return p;
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one YAML document of a file. */
  static JsonNode yaml(String relative) {
    List<JsonNode> docs = yamlDocuments(relative);
    if (docs.size() != 1) {
      throw new IllegalStateException(
          relative + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  /** Every YAML document of a file (Kubernetes manifests may hold several). */
  static List<JsonNode> yamlDocuments(String relative) {
    return yamlDocumentsOf(text(relative), relative);
  }

  static List<JsonNode> yamlDocumentsOf(String yaml, String name) {
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNextValue(); ) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new IllegalStateException(name + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A YAML mapping of strings (an environment block, ConfigMap data) as a Java map. */
  static Map<String, String> strings(JsonNode mapping) {
    Map<String, String> out = new LinkedHashMap<>();
    mapping.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /**
   * The agent configuration these environment variables produce, exactly as the agent resolves it;
   * fails like the agent would on an unknown key's bad value.
   */
  static AgentConfig agentConfig(Map<String, String> env) {
    try {
      return AgentConfig.resolve(Optional.empty(), env, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
