package io.prunewire.scorers.fusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code seed}: the fixed weights of the original "enhanced HSTNN" proposal, applied to normalised
 * criteria. Each family's sub-score is a weighted sum of its criteria, and the families are
 * averaged with equal weights (the proposal gives no family weights):
 *
 * <pre>
 * weight      = 0.3·L2 + 0.2·variance + 0.2·non-zero ratio + 0.2·entropy + 0.1·effective rank
 * activation  = 0.2·frequency + 0.3·magnitude + 0.2·variance + 0.2·entropy + 0.1·range
 * gradient    = 0.4·magnitude + 0.2·stability + 0.2·SNR + 0.2·sign consistency
 * cooperative = 0.3·strength + 0.3·uniqueness + 0.2·degree + 0.2·cooperation
 * fused       = (weight + activation + gradient + cooperative) / 4
 * </pre>
 *
 * so criterion c of family f gets {@code w_c = sub_c / 4}. When some of these criteria are not
 * available (e.g. no co-activation summary yet), the weights of the present ones are rescaled to
 * sum to 1, keeping their ratios; the returned weights show what was used. Criteria outside the
 * proposal get weight 0.
 */
public final class SeedFusion implements Fusion {

  /** One proposal weight: criterion name, its family, its sub-weight within the family. */
  public record SeedWeight(String family, String criterion, double subWeight) {}

  /** The proposal's sub-weights, by family. */
  public static final List<SeedWeight> WEIGHTS =
      List.of(
          new SeedWeight("weight", "weight_l2", 0.3),
          new SeedWeight("weight", "weight_variance", 0.2),
          new SeedWeight("weight", "weight_nonzero_ratio", 0.2),
          new SeedWeight("weight", "weight_entropy", 0.2),
          new SeedWeight("weight", "weight_effective_rank", 0.1),
          new SeedWeight("activation", "activation_frequency", 0.2),
          new SeedWeight("activation", "activation_magnitude", 0.3),
          new SeedWeight("activation", "activation_variance", 0.2),
          new SeedWeight("activation", "activation_entropy", 0.2),
          new SeedWeight("activation", "activation_range", 0.1),
          new SeedWeight("gradient", "gradient_magnitude", 0.4),
          new SeedWeight("gradient", "gradient_stability", 0.2),
          new SeedWeight("gradient", "gradient_snr", 0.2),
          new SeedWeight("gradient", "gradient_sign_consistency", 0.2),
          new SeedWeight("cooperative", "cooperative_strength", 0.3),
          new SeedWeight("cooperative", "cooperative_uniqueness", 0.3),
          new SeedWeight("cooperative", "cooperative_degree", 0.2),
          new SeedWeight("cooperative", "cooperative_cooperation", 0.2));

  private static final int FAMILIES = 4;

  @Override
  public String name() {
    return "seed";
  }

  @Override
  public FusedScores fuse(CriterionScores criteria) {
    Map<String, Double> weights = new LinkedHashMap<>();
    double total = 0;
    for (SeedWeight s : WEIGHTS) {
      if (criteria.has(s.criterion())) {
        double w = s.subWeight() / FAMILIES;
        weights.put(s.criterion(), w);
        total += w;
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException(
          "layer "
              + criteria.layer()
              + ": seed fusion needs at least one of its criteria; got "
              + criteria.names());
    }
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      e.setValue(e.getValue() / total);
    }
    return WeightedSum.of(name(), criteria, weights);
  }
}
