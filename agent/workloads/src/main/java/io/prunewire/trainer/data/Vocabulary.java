package io.prunewire.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word to id mapping in order of first appearance, as the reference {@code Dictionary}: ids are
 * assigned while reading the training split, {@code <eos>} included.
 */
public final class Vocabulary {
  /** End-of-sentence token appended to every line. */
  public static final String EOS = "<eos>";

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> words = new ArrayList<>();

  /** Id of {@code word}, adding it when new. */
  int addOrGet(String word) {
    Integer id = ids.get(word);
    if (id != null) {
      return id;
    }
    ids.put(word, words.size());
    words.add(word);
    return words.size() - 1;
  }

  /**
   * Id of a known word; an unknown word is an error (PTB valid/test have no out-of-vocabulary
   * words).
   */
  public int id(String word) {
    Integer id = ids.get(word);
    if (id == null) {
      throw new IllegalArgumentException(
          "word '" + word + "' is not in the vocabulary of " + size() + " words");
    }
    return id;
  }

  public String word(int id) {
    if (id < 0 || id >= words.size()) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the vocabulary [0, " + size() + ")");
    }
    return words.get(id);
  }

  public int size() {
    return words.size();
  }

  public List<String> words() {
    return Collections.unmodifiableList(words);
  }
}
