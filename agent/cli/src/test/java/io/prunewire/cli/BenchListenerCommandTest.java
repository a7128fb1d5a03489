package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchListenerCommandTest {

  @Test
  void measuresEveryWeightModeAgainstOneBaselineAndWritesTheSection(@TempDir Path dir)
      throws Exception {
    Path doc = dir.resolve("BENCHMARKS.md");
    Files.writeString(doc, "# Benchmarks\n\n## Listener overhead\n\nold\n\n## Next\n\nkept\n");
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    assertThat(
            cli.execute(
                "bench",
                "listener",
                "--rounds",
                "1",
                "--steps",
                "2",
                "--warmup",
                "0",
                "--weights",
                "sync,async,off",
                "--publish-every",
                "2",
                "--embedding",
                "8",
                "--rnn",
                "3",
                "--snn",
                "3",
                "--batch",
                "2",
                "--bptt",
                "3",
                "--write",
                doc.toString()))
        .isZero();

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

  @Test
  void unknownOrRepeatedModesAreUsageErrors() {
    for (String modes : new String[] {"sync,fast", "async,async"}) {
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err));
      assertThat(cli.execute("bench", "listener", "--weights", modes)).isEqualTo(2);
      assertThat(err.toString()).contains("--weights");
    }
  }
}
