package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedArgsTest {

  @Test
  void recordedCommandLinesCarryNoLocalPaths() {
    assertThat(
            RecordedArgs.of(
                List.of(
                    "--headline-only",
                    "--cache-dir",
                    "/home/someone/.cache/prunewire",
                    "--out=/tmp/run 1",
                    "--model-seeds",
                    "1")))
        .containsExactly(
            "--headline-only", "--cache-dir", "<cache-dir>", "--out=<out>", "--model-seeds", "1");
    assertThat(RecordedArgs.of(List.of("--out", "docs/results/compare")))
        .containsExactly("--out", "docs/results/compare");
  }
}
