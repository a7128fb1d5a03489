package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad settings of {@code prunewire example} are refused before anything starts. */
class ExampleCommandTest {

  private static String refused(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(CommandLine.ExitCode.USAGE);
    return err.toString();
  }

  @Test
  void badSettingsAreNamed() {
    assertThat(refused("example", "--quick", "--target", "1.5"))
        .contains("target must be in (0, 1), got 1.5");
    assertThat(refused("example", "--vocabulary", "2"))
        .contains("vocabulary must be at least 3, got 2");
    assertThat(refused("example", "--quick", "--lm-steps", "5"))
        .contains("LM steps must be at least 6, got 5");
  }
}
