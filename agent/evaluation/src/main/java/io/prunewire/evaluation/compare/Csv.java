package io.prunewire.evaluation.compare;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated cells, CRLF line ends, a cell quoted (with inner quotes doubled)
 * when it holds a comma, a quote or a line break. Numbers are written locale-independently in plain
 * decimal notation that parses back to the same {@code double}; {@code null} and NaN are empty
 * cells (not measured / not defined), infinities {@code inf} and {@code -inf} as Python and pandas
 * read them.
 */
final class Csv {

  private Csv() {}

  /**
   * Writes {@code header} and {@code rows} to {@code file}; every row must have the header's width.
   */
  static void write(Path file, List<String> header, List<List<Object>> rows) throws IOException {
    StringBuilder b = new StringBuilder(line(List.copyOf(header)));
    for (List<Object> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException(
            file.getFileName()
                + ": row "
                + row
                + " has "
                + row.size()
                + " cells, the header "
                + header.size());
      }
      b.append(line(row));
    }
    Files.writeString(file, b, StandardCharsets.UTF_8);
  }

  /** One record, CRLF-terminated. */
  static String line(List<?> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(quote(cell(cells.get(i))));
    }
    return b.append("\r\n").toString();
  }

  /** The unquoted text of one cell. */
  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "inf" : "-inf";
      }
      // Double.toString is the shortest text that reads back to d; toPlainString drops its
      // exponent.
      return BigDecimal.valueOf(d).toPlainString();
    }
    return value.toString();
  }

  private static String quote(String text) {
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
