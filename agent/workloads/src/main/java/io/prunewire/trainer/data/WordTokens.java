package io.prunewire.trainer.data;

import java.util.function.Consumer;

/**
 * The word-level tokenisation of PyTorch's word_language_model, which PTB and WikiText-2 both use:
 * the whitespace-separated words of every line, then {@value Vocabulary#EOS} for the line (an empty
 * line gives {@code <eos>} alone).
 */
public final class WordTokens {

  private WordTokens() {}

  /** Calls {@code token} with every token of {@code text}, in order. */
  public static void forEach(String text, Consumer<String> token) {
    int lineStart = 0;
    int length = text.length();
    while (lineStart < length) {
      int lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) {
        lineEnd = length;
      }
      int i = lineStart;
      while (i < lineEnd) {
        while (i < lineEnd && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < lineEnd && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (i > start) {
          token.accept(text.substring(start, i));
        }
      }
      token.accept(Vocabulary.EOS);
      lineStart = lineEnd + 1;
    }
  }
}
