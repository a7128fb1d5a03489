package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  @Test
  void alignsNumbersRightAndEscapesPipesAndLineBreaks() {
    String table =
        new MarkdownTable()
            .text("name")
            .number("value")
            .row(List.of("a|b", "1.5"))
            .row(List.of("two\nlines", "n/a"))
            .toString();
    assertThat(table.lines())
        .containsExactly(
            "| name | value |", "|---|---:|", "| a\\|b | 1.5 |", "| two lines | n/a |");
  }

  @Test
  void aRowOfTheWrongWidthIsRejected() {
    MarkdownTable t = new MarkdownTable().text("a").text("b");
    assertThatThrownBy(() -> t.row(List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 cells for 2 columns");
  }
}
