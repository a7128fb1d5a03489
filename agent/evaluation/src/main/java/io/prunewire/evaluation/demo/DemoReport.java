package io.prunewire.evaluation.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a demo's result as a Markdown report and, next to it, the raw numbers as JSON. */
final class DemoReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DemoReport() {}

  /** Writes {@code report} and {@code report}'s name with {@code .json}; returns {@code report}. */
  static Path write(DemoResult result, Path report) throws IOException {
    Path dir = report.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Files.writeString(report, markdown(result));
    String name = report.getFileName().toString();
    String json = (name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".json";
    JSON.writeValue(dir.resolve(json).toFile(), result);
    return report;
  }

  /**
   * The per-layer table (kept neurons after each checkpoint, held-out Spearman of fusion and HAP).
   */
  static String layerTable(DemoResult r) {
    StringBuilder b = new StringBuilder("| layer | type | neurons |");
    for (DemoResult.CheckpointRow c : r.checkpoints()) {
      b.append(" kept @").append(c.step()).append(" |");
    }
    b.append(" agent's fused scores ρ | HAP ρ (same probes) |\n|---|---|---:|");
    b.append("---:|".repeat(r.checkpoints().size())).append("---|---|\n");
    for (DemoResult.LayerRow l : r.layers()) {
      b.append("| ")
          .append(l.layer())
          .append(" | ")
          .append(l.type())
          .append(" | ")
          .append(l.neurons())
          .append(" |");
      for (int kept : l.kept()) {
        b.append(' ').append(kept < 0 ? "no decision" : Integer.toString(kept)).append(" |");
      }
      b.append(' ').append(l.fused().text()).append(" | ").append(l.hap().text()).append(" |\n");
    }
    return b.toString();
  }

  /**
   * The per-checkpoint table (removals, kept by type, perplexity around the decision, agent's
   * Spearman).
   */
  static String checkpointTable(DemoResult r) {
    StringBuilder b =
        new StringBuilder(
            "| # | step | planned | ablations (single/group) | kept spiking | kept rnn |"
                + " valid ppl before | valid ppl after | decision wait (s) | agent: learned ρ | agent: HAP ρ |\n"
                + "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|\n");
    for (DemoResult.CheckpointRow c : r.checkpoints()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %d / %d | %s | %s | %.2f | %.2f | %.2f | %s | %s |%n",
              c.index(),
              c.step(),
              c.planned(),
              c.singles(),
              c.groups(),
              count(c.keptSpiking()),
              count(c.keptAnalog()),
              c.pplBefore(),
              c.pplAfter(),
              c.decisionWait(),
              c.agentLearned().text(),
              c.agentHap().text()));
    }
    return b.toString();
  }

  private static String count(int n) {
    return n < 0 ? "no decision" : Integer.toString(n);
  }

  static String markdown(DemoResult r) {
    StringBuilder b = new StringBuilder("# Prunewire demo report\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Validation perplexity: %.2f untrained, %.2f at the end.%n%n",
            r.startPerplexity(),
            r.endPerplexity()));
    b.append("## Layers\n\n").append(layerTable(r)).append('\n');
    b.append(
        "Spearman ρ per layer: single-neuron ablations measured at checkpoint k against the agent's fused"
            + " scores of decision k−1 (its fusion, computed before those probes) and against HAP (trace(H)·‖w_in‖²/numel) from the"
            + " evidence published before them; probes of the first checkpoint have no earlier decision. Higher score"
            + " = keep, so a good ranking has ρ near +1. Single ablations are a diagnostic, not the goal"
            + " (docs/DESIGN.md): judge by the perplexity below.\n\n");
    b.append("## Checkpoints\n\n").append(checkpointTable(r)).append('\n');
    b.append(
        "Perplexity before and after are measured on the same validation slice just before and just after"
            + " the decision's masks were applied, with no training in between. The agent's ρ is its held-out"
            + " Spearman over every held-out ablation (singles and groups) up to that checkpoint.\n\n");
    b.append("## Decisions\n\n");
    for (DemoResult.CheckpointRow c : r.checkpoints()) {
      b.append("- ").append(c.id()).append(": ").append(c.reason()).append('\n');
    }
    b.append("\n## Provenance\n\n");
    for (Map.Entry<String, Object> e : r.provenance().entrySet()) {
      b.append("- ").append(e.getKey()).append(": `").append(e.getValue()).append("`\n");
    }
    return b.toString();
  }

  /** The tables of a report, {@code markdown} up to its list of decisions. */
  static String summary(String markdown) {
    return markdown.split("\n## Decisions", 2)[0];
  }
}
