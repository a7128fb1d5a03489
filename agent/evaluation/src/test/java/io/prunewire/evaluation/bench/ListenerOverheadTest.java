package io.prunewire.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.bench.ListenerOverhead.Weights;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerOverheadTest {

  @Test
  void measuresEveryWeightModeAgainstOneBaselineAndWritesTheSection(@TempDir Path dir)
      throws Exception {
    Path doc = dir.resolve("BENCHMARKS.md");
    Files.writeString(doc, "# Benchmarks\n\n## Listener overhead\n\nold\n\n## Next\n\nkept\n");
    ListenerOverhead.run(
        new ListenerOverhead.Settings(
            1, 2, 0, List.of(Weights.sync, Weights.async, Weights.off), 2, 8, 3, 3, 2, 3),
        doc,
        new PrintStream(OutputStream.nullOutputStream()));

    String text = Files.readString(doc);
    assertThat(text)
        .doesNotContain("old")
        .contains("## Next\n\nkept")
        .contains("| without listener |")
        .contains("| with listener, weight statistics inside the callback (sync) |")
        .contains("| with listener, weight statistics on its background thread (async) |")
        .contains("| with listener, no weight statistics |")
        .contains("--weights sync,async,off --publish-every 2");
  }
}
