package io.prunewire.trainer.model;

import java.util.Arrays;

/**
 * A perplexity with its parts: the summed negative log-likelihood (nats) and the token count of
 * every evaluation window, in order, so that a confidence interval can resample the windows.
 *
 * @param nll {@code Σ −ln p[target]} of each window
 * @param tokens predicted tokens of each window
 */
public record Evaluation(double[] nll, long[] tokens) {

  public Evaluation {
    if (nll.length != tokens.length || nll.length == 0) {
      throw new IllegalArgumentException(
          "evaluation: "
              + nll.length
              + " window losses for "
              + tokens.length
              + " token counts; need the same number, at least one");
    }
    nll = nll.clone();
    tokens = tokens.clone();
  }

  /** {@code exp(Σ nll / Σ tokens)}. */
  public double perplexity() {
    return Math.exp(Arrays.stream(nll).sum() / Arrays.stream(tokens).sum());
  }

  /** The perplexity of the windows at {@code indices} (repeats allowed: a bootstrap resample). */
  public double perplexity(int[] indices) {
    double sum = 0;
    long count = 0;
    for (int i : indices) {
      sum += nll[i];
      count += tokens[i];
    }
    return Math.exp(sum / count);
  }

  /** Number of windows. */
  public int windows() {
    return nll.length;
  }

  @Override
  public double[] nll() {
    return nll.clone();
  }

  @Override
  public long[] tokens() {
    return tokens.clone();
  }
}
