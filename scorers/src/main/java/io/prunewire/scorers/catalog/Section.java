package io.prunewire.scorers.catalog;

/** The groups of the catalog, in the order {@code prunewire criteria} prints them. */
public enum Section {
  CRITERION("Criteria (per neuron, higher = more important)"),
  NORMALISATION("Per-layer normalisations"),
  FUSION("Fusion strategies (x_c = normalised criterion c, w_c its weight)"),
  RETENTION("Retention policies (n = layer size, s = target sparsity)"),
  SCHEDULE("Sparsity schedules (t = step)");

  private final String title;

  Section(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
