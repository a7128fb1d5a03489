package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo end to end with a tiny budget: real embedded broker, agent and DL4J trainer. */
class DemoTest {

  private static final int WIDTH = 8;
  private static final int CHECKPOINTS = 2;
  private static final double TARGET = 0.5;
  private static final double SNN_RATIO = 0.5;

  @Test
  @Timeout(180)
  void tinyDemoWritesAConsistentReport(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("out").resolve("report.md");
    List<String> stateDirsBefore = stateDirs();
    int exit =
        Main.commandLine()
            .execute(
                "demo",
                "--embedding",
                "16",
                "--rnn",
                "" + WIDTH,
                "--snn",
                "" + WIDTH,
                "--steps",
                "8",
                "--checkpoints",
                "" + CHECKPOINTS,
                "--eval-tokens",
                "1500",
                "--singles",
                "24",
                "--groups",
                "2",
                "--probes",
                "2",
                "--seed",
                "3",
                // outcome candidates measured after recovery, as in compare's during-training arms,
                // briefly
                "--recovery-steps",
                "2",
                "--report",
                report.toString());
    assertThat(exit).isZero();
    assertThat(stateDirs())
        .as("the agent's temporary state directory is removed")
        .isEqualTo(stateDirsBefore);
    String md = Files.readString(report);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("out").resolve("report.json").toFile());

    int neurons = 4 * WIDTH;
    JsonNode layers = json.get("layers");
    List<String> names = new ArrayList<>();
    layers.forEach(l -> names.add(l.get("layer").asText() + "/" + l.get("type").asText()));
    assertThat(names)
        .containsExactly("h1.snn/spiking", "h1.rnn/rnn", "h2.snn/spiking", "h2.rnn/rnn");
    for (String row :
        List.of(
            "| h1.snn | spiking |",
            "| h1.rnn | rnn |",
            "| h2.snn | spiking |",
            "| h2.rnn | rnn |")) {
      assertThat(md).contains(row);
    }

    JsonNode checkpoints = json.get("checkpoints");
    assertThat(checkpoints).hasSize(CHECKPOINTS);
    int previousPruned = 0;
    for (int k = 1; k <= CHECKPOINTS; k++) {
      JsonNode c = checkpoints.get(k - 1);
      // Zhu & Gupta's cubic schedule from 0 to TARGET over CHECKPOINTS checkpoints, in whole
      // neurons.
      double progress = (double) k / CHECKPOINTS;
      int pruned = (int) Math.round(neurons * TARGET * (1 - Math.pow(1 - progress, 3)));
      assertThat(c.get("planned").asInt())
          .as("planned at %d", k)
          .isEqualTo(pruned - previousPruned);
      previousPruned = pruned;
      int kept = neurons - pruned;
      int keptSum = 0;
      int keptSpikingLayers = 0;
      for (JsonNode l : layers) {
        int layerKept = l.get("kept").get(k - 1).asInt();
        assertThat(layerKept)
            .as("%s kept at checkpoint %d", l.get("layer").asText(), k)
            .isBetween(1, WIDTH);
        if (k > 1) {
          assertThat(layerKept)
              .as("monotone")
              .isLessThanOrEqualTo(l.get("kept").get(k - 2).asInt());
        }
        keptSum += layerKept;
        if (l.get("type").asText().equals("spiking")) {
          keptSpikingLayers += layerKept;
        }
      }
      assertThat(keptSum).as("kept at checkpoint %d", k).isEqualTo(kept);
      assertThat(c.get("keptSpiking").asInt() + c.get("keptAnalog").asInt()).isEqualTo(kept);
      assertThat(c.get("keptSpiking").asInt())
          .isEqualTo(keptSpikingLayers)
          .isEqualTo((int) Math.round(SNN_RATIO * kept));
      assertThat(c.get("pplBefore").asDouble()).as("ppl before %d", k).isFinite().isGreaterThan(1);
      assertThat(c.get("pplAfter").asDouble()).as("ppl after %d", k).isFinite().isGreaterThan(1);
      assertThat(c.get("singles").asInt()).isPositive();
      assertThat(c.get("decisionWait").asDouble())
          .as("decision wait %d", k)
          .isFinite()
          .isNotNegative();
      assertRho(c.get("agentLearned"));
      assertRho(c.get("agentHap"));
    }
    for (JsonNode l : layers) {
      assertRho(l.get("fused"));
      assertRho(l.get("hap"));
    }
    assertThat(json.get("startPerplexity").asDouble()).isFinite();
    assertThat(json.get("endPerplexity").asDouble()).isFinite();
    JsonNode provenance = json.get("provenance");
    for (String key :
        List.of("command", "settings", "model", "seed", "ptb_sha256", "machine", "wall_seconds")) {
      assertThat(provenance.has(key)).as("provenance %s", key).isTrue();
    }
    assertThat(provenance.get("ptb_sha256").asText()).matches("[0-9a-f]{64} .*");
    assertThat(md)
        .contains("## Provenance")
        .contains("valid ppl before")
        .contains("agent's fused scores ρ");
  }

  private static List<String> stateDirs() throws java.io.IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("prunewire-demo-state-"))
          .sorted()
          .toList();
    }
  }

  /** A Spearman is in [-1, 1], or absent with a stated reason. */
  private static void assertRho(JsonNode rho) {
    if (rho.get("reason").isNull()) {
      assertThat(rho.get("value").asDouble()).isBetween(-1.0, 1.0);
    } else {
      assertThat(rho.get("reason").asText()).isNotBlank();
    }
  }
}
