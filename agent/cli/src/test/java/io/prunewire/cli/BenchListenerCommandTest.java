package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of {@code prunewire bench listener}; the benchmark itself: ListenerOverheadTest. */
class BenchListenerCommandTest {

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
