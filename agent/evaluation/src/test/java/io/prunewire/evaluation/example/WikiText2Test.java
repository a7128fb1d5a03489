package io.prunewire.evaluation.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.trainer.data.Split;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WikiText2Test {

  private static final Map<Split, String> TINY =
      Map.of(
          Split.TRAIN, " the cat sat \n \n = = the mat = = \n the <unk> cat \n",
          Split.VALID, " the dog sat \n",
          Split.TEST, " a cat \n");

  @Test
  void theVendoredCorpusHasThePublishedCounts() {
    WikiText2 full = WikiText2.load(WikiText2.FULL_VOCABULARY);
    // Merity et al. 2016 and the vendored SOURCE.md: tokens with one <eos> per line.
    assertThat(full.tokenCount(Split.TRAIN)).isEqualTo(2_088_628);
    assertThat(full.tokenCount(Split.VALID)).isEqualTo(217_646);
    assertThat(full.tokenCount(Split.TEST)).isEqualTo(245_569);
    assertThat(full.vocabularySize()).isEqualTo(33_278);
    assertThat(full.word(full.tokens(Split.TRAIN)[0])).isEqualTo(WikiText2.EOS);
  }

  @Test
  void aLimitedVocabularyKeepsTheMostFrequentWordsAndReadsTheRestAsUnk() {
    WikiText2 all = WikiText2.load(500);
    assertThat(all.vocabularySize()).isEqualTo(500);
    int unk = indexOf(all, WikiText2.UNK);
    int[] test = all.tokens(Split.TEST);
    assertThat(test).hasSize(245_569);
    assertThat(Arrays.stream(test).min().orElseThrow()).isNotNegative();
    assertThat(Arrays.stream(test).max().orElseThrow()).isEqualTo(499);
    // Far more <unk> than the 15,218 the test split has of its own.
    assertThat(Arrays.stream(test).filter(id -> id == unk).count()).isGreaterThan(15_218);
  }

  @Test
  void linesBecomeWordsThenEos() {
    WikiText2 t = WikiText2.of(TINY, 100);
    // counts: the 3, cat 2, = 4, <eos> 4, sat/mat/<unk> 1; ties by first appearance
    assertThat(words(t, Split.TRAIN))
        .containsExactly(
            "the", "cat", "sat", "<eos>", "<eos>", "=", "=", "the", "mat", "=", "=", "<eos>", "the",
            "<unk>", "cat", "<eos>");
    assertThat(words(t, Split.VALID)).containsExactly("the", "<unk>", "sat", "<eos>");
    assertThat(words(t, Split.TEST)).containsExactly("<unk>", "cat", "<eos>");
  }

  @Test
  void theLimitRanksByCountAndAlwaysKeepsUnkAndEos() {
    WikiText2 t = WikiText2.of(TINY, 4);
    assertThat(t.vocabularySize()).isEqualTo(4);
    // = (4) and <eos> (4), the (3), then <unk> in place of cat (2)
    assertThat(words(t, Split.TRAIN))
        .containsExactly(
            "the", "<unk>", "<unk>", "<eos>", "<eos>", "=", "=", "the", "<unk>", "=", "=", "<eos>",
            "the", "<unk>", "<unk>", "<eos>");
  }

  @Test
  void aVocabularyOfFewerThanThreeIsRefused() {
    assertThatThrownBy(() -> WikiText2.of(TINY, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vocabulary limit must be at least 3")
        .hasMessageContaining("got 2");
  }

  private static String[] words(WikiText2 t, Split split) {
    return Arrays.stream(t.tokens(split)).mapToObj(t::word).toArray(String[]::new);
  }

  private static int indexOf(WikiText2 t, String word) {
    for (int i = 0; i < t.vocabularySize(); i++) {
      if (t.word(i).equals(word)) {
        return i;
      }
    }
    throw new AssertionError(word + " is not in the vocabulary");
  }
}
