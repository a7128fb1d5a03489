package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table: text columns left-aligned, numeric columns right-aligned.
 * Cells are escaped ({@code |} and line breaks) so that any label fits in its cell.
 */
final class MarkdownTable {

  private final List<String> header = new ArrayList<>();
  private final List<Boolean> numeric = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** Adds a left-aligned column. */
  MarkdownTable text(String title) {
    return column(title, false);
  }

  /** Adds a right-aligned column. */
  MarkdownTable number(String title) {
    return column(title, true);
  }

  private MarkdownTable column(String title, boolean right) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("column '" + title + "' added after rows");
    }
    header.add(title);
    numeric.add(right);
    return this;
  }

  /** Adds one row, one cell per column. */
  MarkdownTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "row "
              + cells
              + " has "
              + cells.size()
              + " cells for "
              + header.size()
              + " columns "
              + header);
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    appendRow(b, header);
    b.append('|');
    for (boolean right : numeric) {
      b.append(right ? "---:|" : "---|");
    }
    b.append('\n');
    for (List<String> row : rows) {
      appendRow(b, row);
    }
    return b.toString();
  }

  private static void appendRow(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String c : cells) {
      b.append(' ').append(escape(c)).append(" |");
    }
    b.append('\n');
  }

  static String escape(String cell) {
    return cell.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
