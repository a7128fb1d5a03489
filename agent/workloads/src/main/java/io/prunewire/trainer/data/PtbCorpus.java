package io.prunewire.trainer.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Penn Treebank (Mikolov preprocessing) as token ids, tokenised like the reference
 * word_language_model: whitespace-split words plus {@code <eos>} at the end of every line, the
 * vocabulary built from the training split (10,000 words). Every split's decompressed bytes are
 * checked against the SHA-256 recorded in the vendored {@code SOURCE.md} before use.
 */
public final class PtbCorpus {
  private static final String RESOURCE_DIR = "/io/prunewire/trainer/data/ptb/";

  private final Vocabulary vocabulary;
  private final Map<Split, int[]> tokens;

  private PtbCorpus(Vocabulary vocabulary, Map<Split, int[]> tokens) {
    this.vocabulary = vocabulary;
    this.tokens = tokens;
  }

  /** The full corpus from the vendored resources. */
  public static PtbCorpus load() {
    Vocabulary vocabulary = new Vocabulary();
    Map<Split, int[]> tokens = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      tokens.put(split, tokenize(split, verifiedText(split), vocabulary, split == Split.TRAIN));
    }
    return new PtbCorpus(vocabulary, tokens);
  }

  /**
   * The corpus cut to the first {@code trainTokens} tokens of the training split and the first
   * {@code evalTokens} of validation and test (the {@code --quick} profile); the vocabulary stays
   * the full training vocabulary so that models keep their shape.
   */
  public PtbCorpus slice(int trainTokens, int evalTokens) {
    return slice(0, trainTokens, 0, evalTokens);
  }

  /**
   * The corpus cut to tokens {@code [trainFrom, trainFrom + trainTokens)} of the training split and
   * {@code [evalFrom, evalFrom + evalTokens)} of validation and test, e.g. fine-tuning data that
   * follows the training data, or held-out batches disjoint from the perplexity slice. The
   * vocabulary stays the full training vocabulary.
   *
   * @throws IllegalArgumentException if a range is shorter than 2 tokens or starts past its split
   */
  public PtbCorpus slice(int trainFrom, int trainTokens, int evalFrom, int evalTokens) {
    if (trainTokens < 2 || evalTokens < 2) {
      throw new IllegalArgumentException(
          "slice: token limits must be >= 2 (a window needs an input and a target), got train="
              + trainTokens
              + ", eval="
              + evalTokens);
    }
    if (trainFrom < 0 || evalFrom < 0) {
      throw new IllegalArgumentException(
          "slice: offsets must be >= 0, got train=" + trainFrom + ", eval=" + evalFrom);
    }
    Map<Split, int[]> cut = new EnumMap<>(Split.class);
    tokens.forEach(
        (split, ids) -> {
          int from = split == Split.TRAIN ? trainFrom : evalFrom;
          int limit = split == Split.TRAIN ? trainTokens : evalTokens;
          if (from + 2 > ids.length) {
            throw new IllegalArgumentException(
                "slice: " + split + " has " + ids.length + " tokens, cannot start at " + from);
          }
          cut.put(
              split,
              Arrays.copyOfRange(ids, from, (int) Math.min(ids.length, (long) from + limit)));
        });
    return new PtbCorpus(vocabulary, cut);
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Token ids of a split, a defensive copy. */
  public int[] tokens(Split split) {
    return tokens.get(split).clone();
  }

  public int tokenCount(Split split) {
    return tokens.get(split).length;
  }

  /** The split batchified into {@code batchSize} parallel streams. */
  public TokenBatches batches(Split split, int batchSize) {
    return new TokenBatches(tokens.get(split), batchSize);
  }

  static int[] tokenize(Split split, String text, Vocabulary vocabulary, boolean grow) {
    IntStream.Builder ids = IntStream.builder();
    WordTokens.forEach(
        text,
        word -> ids.add(grow ? vocabulary.addOrGet(word) : idInSplit(split, vocabulary, word)));
    return ids.build().toArray();
  }

  private static int idInSplit(Split split, Vocabulary vocabulary, String word) {
    try {
      return vocabulary.id(word);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("PTB " + split + ": " + e.getMessage(), e);
    }
  }

  private static String verifiedText(Split split) {
    byte[] bytes =
        VendoredResource.read("PTB " + split, RESOURCE_DIR + split.resource(), split.sha256());
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
