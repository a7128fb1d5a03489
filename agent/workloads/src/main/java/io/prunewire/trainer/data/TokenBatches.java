package io.prunewire.trainer.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A token stream batchified like the reference {@code batchify}: the stream is cut to {@code steps
 * × batch} tokens and stream {@code b} holds tokens {@code [b·steps, (b+1)·steps)}, so {@code at(t,
 * b) = tokens[b·steps + t]}. A window starting at step {@code t} of length {@code L} has inputs at
 * steps {@code t..t+L-1} and targets shifted by one, {@code t+1..t+L}. Arrays are DL4J's recurrent
 * layout {@code [batch, 1, L]} holding token ids as floats (exact below 2^24).
 */
public final class TokenBatches {
  private final int[] tokens;
  private final int batch;
  private final int steps;

  TokenBatches(int[] tokens, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batch);
    }
    this.steps = tokens.length / batch;
    if (steps < 2) {
      throw new IllegalArgumentException(
          "batchify: "
              + tokens.length
              + " tokens give "
              + steps
              + " steps for batch "
              + batch
              + "; need at least 2");
    }
    this.tokens = tokens;
    this.batch = batch;
  }

  /**
   * Any token stream (e.g. another corpus's ids, copied) batchified into {@code batch} parallel
   * streams.
   *
   * @throws IllegalArgumentException if {@code batch} is not positive or the streams would be
   *     shorter than 2 tokens
   */
  public static TokenBatches of(int[] tokens, int batch) {
    return new TokenBatches(tokens.clone(), batch);
  }

  public int batchSize() {
    return batch;
  }

  /** Steps per stream ({@code tokens / batch}, remainder dropped). */
  public int steps() {
    return steps;
  }

  /** Token id at step {@code t} of stream {@code b}. */
  public int at(int t, int b) {
    if (t < 0 || t >= steps || b < 0 || b >= batch) {
      throw new IndexOutOfBoundsException(
          "at(" + t + ", " + b + ") outside [" + steps + " steps, " + batch + " streams]");
    }
    return tokens[b * steps + t];
  }

  /**
   * Number of windows of length {@code bptt} that cover the {@code steps - 1} predictable steps.
   */
  public int windowCount(int bptt) {
    checkBptt(bptt);
    return (steps - 1 + bptt - 1) / bptt;
  }

  /**
   * Window {@code index} of length {@code bptt}; the last one may be shorter (as the reference).
   */
  public DataSet window(int index, int bptt) {
    int count = windowCount(bptt);
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(
          "window " + index + " outside [0, " + count + ") for bptt " + bptt);
    }
    int start = index * bptt;
    return span(start, Math.min(bptt, steps - 1 - start));
  }

  /** All predictable steps as one sequence of length {@code steps - 1} (for truncated BPTT). */
  public DataSet all() {
    return span(0, steps - 1);
  }

  /**
   * The first {@code windows} windows of length {@code bptt} as one sequence (for a truncated-BPTT
   * pass that stops part-way through an epoch); all of them when {@code windows >= windowCount}.
   */
  public DataSet prefix(int windows, int bptt) {
    if (windows < 1) {
      throw new IllegalArgumentException("prefix: windows must be >= 1, got " + windows);
    }
    return span(0, (int) Math.min((long) windows * bptt, steps - 1));
  }

  private DataSet span(int start, int length) {
    float[] in = new float[batch * length];
    float[] out = new float[batch * length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        in[b * length + t] = tokens[b * steps + start + t];
        out[b * length + t] = tokens[b * steps + start + t + 1];
      }
    }
    INDArray features = Nd4j.create(in, new long[] {batch, 1, length}, 'c');
    INDArray labels = Nd4j.create(out, new long[] {batch, 1, length}, 'c');
    return new DataSet(features, labels);
  }

  private static void checkBptt(int bptt) {
    if (bptt <= 0) {
      throw new IllegalArgumentException("bptt must be positive, got " + bptt);
    }
  }
}
