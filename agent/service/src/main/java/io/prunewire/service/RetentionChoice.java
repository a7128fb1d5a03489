package io.prunewire.service;

/** The agent's retention policies, by the name the {@code retention} setting gives them. */
public enum RetentionChoice {
  /** HSTNN's: {@code snn.ratio} of the kept neurons spiking, to the target sparsity (default). */
  TYPE_AWARE("type-aware"),
  /** Every layer to the target sparsity. */
  FIXED_RATIO("fixed-ratio"),
  /** One budget over all layers, to the target sparsity. */
  GLOBAL("global"),
  /** The coefficient-of-variation rule ({@code retention.cv.share}); chooses its own counts. */
  CV("cv"),
  /** Prune below the layer's {@code retention.percentile}-th percentile; its own counts. */
  PERCENTILE("percentile"),
  /** Every layer keeps {@code retention.k}; its own counts. */
  TOP_K("top-k");

  private final String settingName;

  RetentionChoice(String settingName) {
    this.settingName = settingName;
  }

  /** The name in the {@code retention} setting. */
  public String settingName() {
    return settingName;
  }

  /**
   * @throws IllegalArgumentException naming the valid names if {@code name} is none of them
   */
  public static RetentionChoice of(String name) {
    return SettingChoices.byName(values(), RetentionChoice::settingName, "retention", name);
  }
}
