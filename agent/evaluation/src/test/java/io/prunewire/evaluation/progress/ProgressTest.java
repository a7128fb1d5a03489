package io.prunewire.evaluation.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void withoutATerminalItPrintsALineEveryFivePercentAndAtTheEndWithoutCarriageReturns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p =
        Progress.lines(
            "epoch 1", 200, " windows", new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      for (int i = 1; i <= 200; i++) {
        p.setExtraMessage(" loss " + i);
        p.stepTo(i);
      }
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r");
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(20); // 5, 10, ..., 95 % and the closing 100 % line
    assertThat(lines[0]).startsWith("epoch 1:   5 % (10/200 windows)").endsWith(" loss 10");
    assertThat(lines[19]).startsWith("epoch 1: 100 % (200/200 windows)").endsWith(" loss 200");
  }

  @Test
  void aJumpOverSeveralStepsPrintsOneLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = Progress.lines("t", 100, "", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    p.stepTo(37);
    assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n")).hasSize(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("t:  37 % (37/100)");
  }
}
