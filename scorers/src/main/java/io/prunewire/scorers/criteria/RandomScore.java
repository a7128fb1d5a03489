package io.prunewire.scorers.criteria;

import io.prunewire.scorers.stats.LayerEvidence;
import java.util.SplittableRandom;

/**
 * Random baseline: independent uniform scores in [0, 1), reproducible from the seed and the layer
 * name (the same layer always gets the same scores for a seed; different layers differ). Needs no
 * evidence.
 */
final class RandomScore extends AbstractCriterion {
  private final long seed;

  public RandomScore(long seed) {
    super("random", Family.PEER, "U[0, 1) seeded by (seed, layer name) [dimensionless]");
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  @Override
  double[] compute(LayerEvidence evidence) {
    // golden-ratio multiplier spreads nearby seeds; SplittableRandom mixes the sum further
    SplittableRandom random =
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + evidence.layer().hashCode());
    double[] out = new double[evidence.neurons()];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextDouble();
    }
    return out;
  }
}
