package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CriteriaCommandTest {

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void printsEveryCriterionWithItsFormulaAndEverySection() {
    String out = run("criteria").replaceAll("\\R {31}", " "); // undo the wrapping of long formulas
    for (Criterion c : Criteria.defaults().all()) {
      assertThat(out).contains(c.name()).contains(c.formula());
    }
    assertThat(out)
        .contains("Fusion strategies")
        .contains("learned")
        .contains("Retention policies")
        .contains("type-aware")
        .contains("Sparsity schedules")
        .contains("cubic");
  }

  @Test
  void sectionOptionFilters() {
    String out = run("criteria", "--section", "schedule,fusion");
    assertThat(out).contains("cubic").contains("adaptive").doesNotContain("hutchinson_trace");
  }

  @Test
  void wrapsLongLinesUnderTheFormulaColumn() {
    String line = String.format("    %-26s %s", "name", "word ".repeat(60).trim());
    String[] lines = CriteriaCommand.wrapped(line).split("\\R");
    assertThat(lines.length).isGreaterThan(2);
    for (int k = 1; k < lines.length; k++) {
      assertThat(lines[k]).startsWith(" ".repeat(31) + "word");
    }
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(110));
    assertThat(String.join(" ", lines).replaceAll(" +", " ")).isEqualTo(line.replaceAll(" +", " "));
  }

  @Test
  void helpDescribesTheCommand() {
    assertThat(run("criteria", "--help")).contains("--section").contains("formula");
  }
}
