package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders without picocli's format warnings: a bare {@code %} in a
 * description (as in "50 %") is a format specifier to picocli, which then prints a warning to the
 * user and the raw text with unreplaced {@code %n}.
 */
class HelpTextTest {

  @Test
  void everyCommandsHelpRendersWithoutFormatWarnings() {
    List<CommandLine> commands = new ArrayList<>();
    collect(Main.commandLine(), commands);
    assertThat(commands).hasSizeGreaterThan(5);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (CommandLine c : commands) {
        String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).as(c.getCommandName()).contains("Usage: ").doesNotContain("%n");
      }
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("picocli WARN")
        .doesNotContain("Could not format");
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
