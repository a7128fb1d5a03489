package io.prunewire.scorers.catalog;

import java.util.Objects;

/** One named method: its section, its family within the section (may be empty) and its formula. */
public record CatalogEntry(Section section, String name, String family, String formula) {

  public CatalogEntry {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(formula, "formula");
  }
}
