package io.prunewire.evaluation.example;

/**
 * Sizes and schedule of {@code prunewire example}: the language model's, the classifier's and the
 * pruning shared by both. {@link #quick()} and {@link #standard()} are the two profiles.
 *
 * @param vocabulary the language model's vocabulary limit (most frequent training words)
 * @param checkpoints pruning checkpoints of each network, evenly spaced, fine-tuning after the last
 * @param target share of each network's hidden neurons removed by the last checkpoint
 */
public record ExampleSettings(
    int vocabulary,
    int lmEmbedding,
    int lmHidden,
    int lmBatch,
    int lmBptt,
    int lmSteps,
    int lmTestTokens,
    double lmLearningRate,
    int mlpHidden1,
    int mlpHidden2,
    int mlpBatch,
    int mlpSteps,
    double mlpLearningRate,
    int checkpoints,
    double target,
    Probes probes,
    long seed) {

  /**
   * The listener's probes per checkpoint interval: Hutchinson probes of the curvature round, single
   * and group ablations.
   */
  public record Probes(int hutchinson, int singles, int groups) {}

  public ExampleSettings {
    atLeast("vocabulary", vocabulary, 3);
    positive("checkpoints", checkpoints);
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("target must be in (0, 1), got " + target);
    }
    atLeast("LM steps", lmSteps, 2 * (checkpoints + 1));
    atLeast("MLP steps", mlpSteps, 2 * (checkpoints + 1));
    for (int v :
        new int[] {lmEmbedding, lmHidden, lmBatch, lmBptt, mlpHidden1, mlpHidden2, mlpBatch}) {
      positive("a width or batch size", v);
    }
    atLeast("LM test tokens", lmTestTokens, 20 * (lmBptt + 1));
  }

  /** About two minutes on two cores, broker and agent included. */
  public static ExampleSettings quick() {
    return new ExampleSettings(
        1_000,
        32,
        64,
        32,
        35,
        150,
        10_000,
        0.01,
        128,
        64,
        64,
        240,
        0.002,
        2,
        0.5,
        new Probes(4, 16, 4),
        1);
  }

  /** Wider networks, a larger vocabulary and more steps: a few minutes more. */
  public static ExampleSettings standard() {
    return new ExampleSettings(
        3_000,
        48,
        96,
        32,
        35,
        360,
        30_000,
        0.005,
        256,
        128,
        64,
        720,
        0.001,
        3,
        0.5,
        new Probes(8, 32, 6),
        1);
  }

  /** Steps between checkpoints for {@code steps} in all; as many dense steps precede the first. */
  int every(int steps) {
    return steps / (checkpoints + 1);
  }

  /**
   * Steps actually trained: {@code steps} rounded down to a multiple of {@code checkpoints + 1},
   * minus one, so that fine-tuning stops one step short of a further checkpoint (which would wait
   * for a decision with nothing planned).
   */
  int trainedSteps(int steps) {
    return (checkpoints + 1) * every(steps) - 1;
  }

  /** These settings with the given overrides; a null keeps the profile's value. */
  public ExampleSettings with(
      Integer vocabulary,
      Integer lmSteps,
      Integer mlpSteps,
      Integer checkpoints,
      Double target,
      Long seed) {
    return new ExampleSettings(
        vocabulary != null ? vocabulary : this.vocabulary,
        lmEmbedding,
        lmHidden,
        lmBatch,
        lmBptt,
        lmSteps != null ? lmSteps : this.lmSteps,
        lmTestTokens,
        lmLearningRate,
        mlpHidden1,
        mlpHidden2,
        mlpBatch,
        mlpSteps != null ? mlpSteps : this.mlpSteps,
        mlpLearningRate,
        checkpoints != null ? checkpoints : this.checkpoints,
        target != null ? target : this.target,
        probes,
        seed != null ? seed : this.seed);
  }

  private static void positive(String what, int value) {
    atLeast(what, value, 1);
  }

  private static void atLeast(String what, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
    }
  }
}
