package io.prunewire.scorers.catalog;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.criteria.Criterion;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every criterion, normalisation, fusion strategy, retention policy and sparsity schedule of the
 * scorers library, with its formula — what {@code prunewire criteria} prints.
 */
public final class Catalog {

  // Plain ASCII, like the criteria's formulas, so every terminal shows them.
  private static final List<CatalogEntry> FUSIONS =
      List.of(
          new CatalogEntry(
              Section.FUSION, "simple", "", "fused = (1/m) sum_c x_c over the m given criteria"),
          new CatalogEntry(
              Section.FUSION,
              "seed",
              "",
              "fused = (weight + activation + gradient + cooperative) / 4, from the original proposal:"
                  + " weight = 0.3 L2 + 0.2 variance + 0.2 non-zero ratio + 0.2 entropy + 0.1 effective rank;"
                  + " activation = 0.2 frequency + 0.3 magnitude + 0.2 variance + 0.2 entropy + 0.1 range;"
                  + " gradient = 0.4 magnitude + 0.2 stability + 0.2 SNR + 0.2 sign consistency;"
                  + " cooperative = 0.3 strength + 0.3 uniqueness + 0.2 degree + 0.2 cooperation;"
                  + " missing criteria dropped, the remaining weights rescaled to sum 1"),
          new CatalogEntry(
              Section.FUSION,
              "adaptive",
              "",
              "w_c = max(r_c, 0) / sum_k max(r_k, 0), r_c <- (1 - alpha) r_c + alpha Spearman(x_c now,"
                  + " x_c at the previous update); equal weights until some r_c > 0"),
          new CatalogEntry(
              Section.FUSION,
              "learned",
              "",
              "w = argmin_{w >= 0} |X w - dloss|^2 + lambda trace(X^T X)/p |w|^2 over measured ablations of"
                  + " single neurons and random groups, a row's features = sum over the group of x(i);"
                  + " kept online as X^T X, X^T dloss; every 5th measurement held out for"
                  + " Spearman(fused, dloss)"),
          new CatalogEntry(
              Section.FUSION,
              "probed",
              "",
              "fused = (1/|S|) sum_{c in S} x_c; S by forward selection: probe each criterion alone, then add"
                  + " the shortlisted criterion whose addition most lowers the held-out dloss of the removal the"
                  + " mean selects, while it lowers it (at most 4 criteria, 12 shortlisted); compare only"),
          new CatalogEntry(
              Section.FUSION,
              "outcome",
              "",
              "fused = (1/|S|) sum_{c in S} x_c (all criteria while S is empty); per checkpoint the trainers measure"
                  + " the held-out dloss of removing the bottom fraction under S, S + c, S - c and single criteria;"
                  + " regret(c) += dloss(c alone) - dloss(S); S moves to the lowest measured dloss if below S's;"
                  + " the agent's default"));

  private static final List<CatalogEntry> RETENTIONS =
      List.of(
          new CatalogEntry(Section.RETENTION, "fixed-ratio", "", "each layer keeps n - round(s n)"),
          new CatalogEntry(
              Section.RETENTION,
              "percentile",
              "",
              "each layer prunes alive neurons whose score < the p-th percentile of its alive scores"
                  + " (linear interpolation)"),
          new CatalogEntry(Section.RETENTION, "top-k", "", "each layer keeps its k highest scores"),
          new CatalogEntry(
              Section.RETENTION,
              "cv",
              "",
              "CV = std/mean of the min-shifted scores; keep the fewest top neurons holding 70% (CV > 2.5),"
                  + " 80% (CV > 1.5) or 90% (otherwise) of the layer's total score"),
          new CatalogEntry(
              Section.RETENTION,
              "type-aware",
              "",
              "HSTNN: K = N - round(s N) over all layers; keep round(snn_ratio K) spiking and K - that analog"
                  + " neurons, each type ranked in one pool across layers"),
          new CatalogEntry(
              Section.RETENTION,
              "global",
              "",
              "all layers form one pool that keeps N - round(s N)"),
          new CatalogEntry(
              Section.RETENTION,
              "rails",
              "",
              "every policy: protected layers kept; each layer keeps >= max(min kept, ceil(floor n));"
                  + " per checkpoint <= floor(max removed fraction n) removed per layer and <= max removed in all;"
                  + " pruned stay pruned; prune order:"
                  + " silent spiking neurons, lower score, lower index"));

  private static final List<CatalogEntry> SCHEDULES =
      List.of(
          new CatalogEntry(Section.SCHEDULE, "one-shot", "", "s_t = 0 for t < t0, s_f from t0 on"),
          new CatalogEntry(
              Section.SCHEDULE, "linear", "", "s_t = s_i + (s_f - s_i) (t - t0)/(n dt), clamped"),
          new CatalogEntry(
              Section.SCHEDULE,
              "cubic",
              "",
              "Zhu & Gupta 2017: s_t = s_f + (s_i - s_f) (1 - (t - t0)/(n dt))^3, clamped"));

  private Catalog() {}

  /**
   * Every entry: criteria of the default registry, then normalisations, fusions, retentions,
   * schedules.
   */
  public static List<CatalogEntry> entries() {
    List<CatalogEntry> all = new ArrayList<>();
    for (Criterion c : Criteria.defaults().all()) {
      all.add(
          new CatalogEntry(
              Section.CRITERION,
              c.name(),
              c.family().name().toLowerCase(Locale.ROOT),
              c.formula()));
    }
    for (Normalizer n : Normalizers.all()) {
      all.add(new CatalogEntry(Section.NORMALISATION, n.name(), "", n.formula()));
    }
    all.addAll(FUSIONS);
    all.addAll(RETENTIONS);
    all.addAll(SCHEDULES);
    return Collections.unmodifiableList(all);
  }

  /** {@link #entries()} by section, sections in declaration order. */
  public static Map<Section, List<CatalogEntry>> grouped() {
    Map<Section, List<CatalogEntry>> bySection = new EnumMap<>(Section.class);
    for (CatalogEntry e : entries()) {
      bySection.computeIfAbsent(e.section(), s -> new ArrayList<>()).add(e);
    }
    return bySection;
  }
}
