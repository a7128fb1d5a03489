package io.prunewire.evaluation.example;

import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.data.VendoredResource;
import io.prunewire.trainer.data.Vocabulary;
import io.prunewire.trainer.data.WordTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * WikiText-2 (Merity et al. 2016; vendored gzipped with its {@code SOURCE.md}, CC BY-SA) as token
 * ids for a word-level language model. Tokenised as the corpus is usually read: the words of every
 * line split on spaces, then {@code <eos>} at the end of every line (empty lines included), which
 * gives 2,088,628 / 217,646 / 245,569 tokens and 33,278 distinct ones in train.
 *
 * <p>The vocabulary is built from the training split and may be limited to its {@code limit} most
 * frequent entries (ties in order of first appearance), {@code <unk>} and {@code <eos>} always
 * among them; every other word reads as {@code <unk>}. A smaller vocabulary makes the softmax, and
 * so each training step, cheaper, at the price of a perplexity over fewer, coarser classes.
 */
public final class WikiText2 {

  /** The unknown-word token of the corpus, also used for words outside a limited vocabulary. */
  public static final String UNK = "<unk>";

  /** End-of-line token appended to every line. */
  public static final String EOS = Vocabulary.EOS;

  /** Entries of the full training vocabulary, {@code <eos>} included. */
  public static final int FULL_VOCABULARY = 33_278;

  private static final String DIR = "/io/prunewire/evaluation/example/data/wikitext2/";
  private static final Map<Split, String> SHA256 =
      Map.of(
          Split.TRAIN, "9e9fa1ad55b1c2c95b08e37dd8e653f638fac2c6de904b79e813611eefbc985f",
          Split.VALID, "f0737ed31fc1329026e95cb8b98e19c2a182c39c240ab909dc31abf2f8af58e8",
          Split.TEST, "d790b833ef8cf03a90db7bf1271b7520b83c45ce07ba3c1a9699df81e239eca0");

  private final List<String> words;
  private final Map<Split, int[]> tokens;

  private WikiText2(List<String> words, Map<Split, int[]> tokens) {
    this.words = words;
    this.tokens = tokens;
  }

  /**
   * The vendored corpus, checked against the checksums of its {@code SOURCE.md}, with a vocabulary
   * of at most {@code limit} entries ({@link #FULL_VOCABULARY} or more keeps every word).
   *
   * @throws IllegalArgumentException if {@code limit < 3}
   */
  public static WikiText2 load(int limit) {
    Map<Split, String> text = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      String file = split.name().toLowerCase(Locale.ROOT) + ".txt.gz";
      byte[] bytes = VendoredResource.read("WikiText-2 " + split, DIR + file, SHA256.get(split));
      text.put(split, new String(bytes, StandardCharsets.UTF_8));
    }
    return of(text, limit);
  }

  /**
   * The corpus of the given split texts, the vocabulary built from {@code TRAIN} and cut to {@code
   * limit} entries.
   *
   * @throws IllegalArgumentException if {@code limit < 3} or a split is missing
   */
  static WikiText2 of(Map<Split, String> text, int limit) {
    if (limit < 3) {
      throw new IllegalArgumentException(
          "vocabulary limit must be at least 3 ("
              + UNK
              + ", "
              + EOS
              + " and a word), got "
              + limit);
    }
    for (Split split : Split.values()) {
      if (!text.containsKey(split)) {
        throw new IllegalArgumentException("WikiText-2: the " + split + " split is missing");
      }
    }
    List<String> words = vocabulary(text.get(Split.TRAIN), limit);
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      ids.put(words.get(i), i);
    }
    int unk = ids.get(UNK);
    Map<Split, int[]> tokens = new EnumMap<>(Split.class);
    text.forEach((split, t) -> tokens.put(split, ids(t, ids, unk)));
    return new WikiText2(List.copyOf(words), tokens);
  }

  /** Entries of the vocabulary; ids are {@code [0, size)}. */
  public int vocabularySize() {
    return words.size();
  }

  /** The word of id {@code id}. */
  public String word(int id) {
    return words.get(id);
  }

  /** Token ids of a split, a copy. */
  public int[] tokens(Split split) {
    return tokens.get(split).clone();
  }

  public int tokenCount(Split split) {
    return tokens.get(split).length;
  }

  /**
   * The {@code limit} most frequent training tokens, most frequent first (ties by first
   * appearance), with {@code <unk>} and {@code <eos>} always kept.
   */
  private static List<String> vocabulary(String train, int limit) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    counts.put(UNK, new int[1]);
    counts.put(EOS, new int[1]);
    WordTokens.forEach(train, w -> counts.computeIfAbsent(w, k -> new int[1])[0]++);
    List<String> ranked = new ArrayList<>(counts.keySet());
    // A stable sort keeps first appearance among equal counts.
    ranked.sort(Comparator.comparingInt((String w) -> counts.get(w)[0]).reversed());
    if (ranked.size() <= limit) {
      return ranked;
    }
    List<String> kept = new ArrayList<>(ranked.subList(0, limit));
    for (String always : List.of(UNK, EOS)) {
      if (!kept.contains(always)) {
        kept.set(lastReplaceable(kept), always);
      }
    }
    return kept;
  }

  /** The least frequent entry that is neither {@code <unk>} nor {@code <eos>}. */
  private static int lastReplaceable(List<String> kept) {
    int i = kept.size() - 1;
    while (kept.get(i).equals(UNK) || kept.get(i).equals(EOS)) {
      i--;
    }
    return i;
  }

  private static int[] ids(String text, Map<String, Integer> ids, int unk) {
    IntStream.Builder out = IntStream.builder();
    WordTokens.forEach(text, w -> out.add(ids.getOrDefault(w, unk)));
    return out.build().toArray();
  }
}
