package io.prunewire.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' target relabeling for the actions the deploy/ configurations use ({@code keep},
 * {@code drop}, {@code replace}), as documented for {@code relabel_config}: source label values
 * joined by {@code ;}, the regex anchored at both ends (default {@code (.*)}), replacement default
 * {@code $1}. Debian's Prometheus is built without Kubernetes discovery, so the Kubernetes scrape
 * jobs cannot be run against a real Prometheus here; this evaluates their rules on the labels
 * Kubernetes discovery documents for a pod.
 */
final class Relabeling {

  private Relabeling() {}

  /** The target's labels after {@code rules}, or empty if a rule dropped it. */
  static Optional<Map<String, String>> apply(JsonNode rules, Map<String, String> discovered) {
    Map<String, String> labels = new LinkedHashMap<>(discovered);
    for (JsonNode rule : rules) {
      List<String> values = new ArrayList<>();
      rule.path("source_labels").forEach(l -> values.add(labels.getOrDefault(l.asText(), "")));
      String joined = String.join(rule.path("separator").asText(";"), values);
      Matcher m =
          Pattern.compile("^(?:" + rule.path("regex").asText("(.*)") + ")$").matcher(joined);
      boolean matches = m.matches();
      switch (rule.path("action").asText("replace")) {
        case "keep" -> {
          if (!matches) {
            return Optional.empty();
          }
        }
        case "drop" -> {
          if (matches) {
            return Optional.empty();
          }
        }
        case "replace" -> {
          if (matches) {
            String value = m.replaceFirst(rule.path("replacement").asText("$1"));
            String target = rule.path("target_label").asText();
            if (value.isEmpty()) {
              labels.remove(target);
            } else {
              labels.put(target, value);
            }
          }
        }
        default -> throw new AssertionError("relabel action not modelled: " + rule);
      }
    }
    return Optional.of(labels);
  }

  /** A label or annotation name as Kubernetes discovery writes it into a meta label. */
  static String sanitize(String name) {
    return name.replaceAll("[^a-zA-Z0-9_]", "_");
  }
}
