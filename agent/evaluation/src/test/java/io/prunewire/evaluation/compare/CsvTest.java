package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

  @Test
  void numbersReadBackToTheSameDouble() {
    Random random = new Random(11);
    for (int i = 0; i < 2000; i++) {
      double d = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(40) - 20);
      String cell = Csv.cell(d);
      assertThat(cell).as("plain notation of %s", d).doesNotContain("E").doesNotContain(",");
      assertThat(Double.parseDouble(cell)).isEqualTo(d);
    }
  }

  @Test
  void nullAndNanAreEmptyAndInfinitiesAreInf() {
    assertThat(Csv.cell(null)).isEmpty();
    assertThat(Csv.cell(Double.NaN)).isEmpty();
    assertThat(Csv.cell(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Csv.cell(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(Csv.cell(42)).isEqualTo("42");
  }

  @Test
  void cellsWithCommasQuotesAndLineBreaksAreQuotedAndReadBack() {
    List<Object> cells = Arrays.asList("a,b", "say \"hi\"", "two\nlines", "plain", null, 0.25);
    String line = Csv.line(cells);
    assertThat(line).isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain,,0.25\r\n");
    assertThat(CsvReader.parse(line))
        .containsExactly(List.of("a,b", "say \"hi\"", "two\nlines", "plain", "", "0.25"));
  }

  @Test
  void aRowOfTheWrongWidthIsRejectedNamingTheFile(@TempDir Path dir) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("only one"));
    assertThatThrownBy(() -> Csv.write(dir.resolve("x.csv"), List.of("a", "b"), rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.csv")
        .hasMessageContaining("1 cells");
  }
}
