package io.prunewire.cli;

import io.prunewire.scorers.catalog.Catalog;
import io.prunewire.scorers.catalog.CatalogEntry;
import io.prunewire.scorers.catalog.Section;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prunewire criteria}: prints the catalog of scoring methods with their formulas. */
@Command(
    name = "criteria",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every importance criterion, per-layer normalisation, fusion strategy, retention policy"
          + " and sparsity schedule Prunewire knows, grouped, each with its formula.",
      "Names are the ones used in configuration and metrics."
    })
public final class CriteriaCommand implements Callable<Integer> {

  private static final int WIDTH = 110;
  private static final int INDENT = 31; // 4 + 26 + 1: where the formula column starts

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--section",
      split = ",",
      paramLabel = "SECTION",
      description =
          "Only these sections (comma-separated): ${COMPLETION-CANDIDATES}. Default: all.")
  Set<Section> sections;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<Section, List<CatalogEntry>> group : Catalog.grouped().entrySet()) {
      if (sections != null && !sections.contains(group.getKey())) {
        continue;
      }
      out.println(group.getKey().title());
      String family = null;
      for (CatalogEntry e : group.getValue()) {
        if (!e.family().isEmpty() && !e.family().equals(family)) {
          out.println("  [" + e.family() + "]");
        }
        family = e.family();
        out.print(wrapped(String.format("    %-26s %s", e.name(), e.formula())));
      }
      out.println();
    }
    out.flush();
    return 0;
  }

  /** Breaks a line at spaces before {@link #WIDTH} columns, continuing under the formula column. */
  static String wrapped(String line) {
    StringBuilder out = new StringBuilder();
    String indent = " ".repeat(INDENT);
    String rest = line;
    while (rest.length() > WIDTH) {
      int cut = rest.lastIndexOf(' ', WIDTH);
      if (cut <= INDENT) {
        break;
      }
      out.append(rest, 0, cut).append(System.lineSeparator());
      rest = indent + rest.substring(cut + 1);
    }
    return out.append(rest).append(System.lineSeparator()).toString();
  }
}
