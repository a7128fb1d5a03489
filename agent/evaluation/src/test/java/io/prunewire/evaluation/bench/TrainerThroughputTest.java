package io.prunewire.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.trainer.model.ModelKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code prunewire bench trainer} on a tiny model: its output contract, the listener arm and the
 * profile.
 */
class TrainerThroughputTest {

  @Test
  void endsWithTheMedianTokensPerSecondAndMeasuresTheListenerAndTheProfile() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainerThroughput.run(
        new TrainerThroughput.Settings(ModelKind.HYBRID, 8, 8, 8, 4, 5, 0.3, 3, 0, true, true),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    String last = lines.get(lines.size() - 1);
    assertThat(last).matches("tokens/s \\d+\\.\\d");
    double bare = Double.parseDouble(last.substring("tokens/s ".length()));
    assertThat(bare).isPositive();
    assertThat(lines).filteredOn(l -> l.startsWith("window ")).hasSize(6);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("median with listener: ") && l.contains("listener overhead"));
    assertThat(lines).contains("| part of the training step | share of samples |");
    assertThat(lines).anyMatch(l -> l.matches("\\d+ samples of the training thread\\."));
  }
}
