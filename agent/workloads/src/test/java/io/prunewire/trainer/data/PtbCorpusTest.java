package io.prunewire.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PtbCorpusTest {
  private static PtbCorpus corpus;

  @BeforeAll
  static void load() {
    corpus = PtbCorpus.load();
  }

  @Test
  void tokenCountsAndVocabularyMatchTheReference() {
    assertThat(corpus.tokenCount(Split.TRAIN)).isEqualTo(929_589);
    assertThat(corpus.tokenCount(Split.VALID)).isEqualTo(73_760);
    assertThat(corpus.tokenCount(Split.TEST)).isEqualTo(82_430);
    assertThat(corpus.vocabulary().size()).isEqualTo(10_000);
  }

  @Test
  void idsFollowFirstAppearanceAndEveryLineEndsWithEos() {
    // ptb.train.txt begins " aer banknote berlitz ..." and its first line has 24 words
    assertThat(corpus.vocabulary().word(0)).isEqualTo("aer");
    assertThat(corpus.vocabulary().word(1)).isEqualTo("banknote");
    int[] train = corpus.tokens(Split.TRAIN);
    assertThat(train[0]).isZero();
    assertThat(corpus.vocabulary().word(train[24])).isEqualTo(Vocabulary.EOS);
    assertThat(corpus.vocabulary().word(train[train.length - 1])).isEqualTo(Vocabulary.EOS);
    long eos =
        java.util.Arrays.stream(train)
            .filter(id -> id == corpus.vocabulary().id(Vocabulary.EOS))
            .count();
    assertThat(eos).isEqualTo(42_068);
  }

  @Test
  void sliceKeepsVocabularyAndCutsSplits() {
    PtbCorpus quick = corpus.slice(1_000, 300);
    assertThat(quick.tokenCount(Split.TRAIN)).isEqualTo(1_000);
    assertThat(quick.tokenCount(Split.VALID)).isEqualTo(300);
    assertThat(quick.vocabulary().size()).isEqualTo(10_000);
    assertThat(quick.tokens(Split.TRAIN))
        .isEqualTo(java.util.Arrays.copyOf(corpus.tokens(Split.TRAIN), 1_000));
    assertThatThrownBy(() -> corpus.slice(1, 300)).hasMessageContaining("train=1");
  }

  @Test
  void sliceWithOffsetsCutsTheRangesItNames() {
    PtbCorpus cut = corpus.slice(5_000, 1_000, 700, 300);
    assertThat(cut.tokens(Split.TRAIN))
        .isEqualTo(java.util.Arrays.copyOfRange(corpus.tokens(Split.TRAIN), 5_000, 6_000));
    assertThat(cut.tokens(Split.VALID))
        .isEqualTo(java.util.Arrays.copyOfRange(corpus.tokens(Split.VALID), 700, 1_000));
    assertThat(cut.tokens(Split.TEST))
        .isEqualTo(java.util.Arrays.copyOfRange(corpus.tokens(Split.TEST), 700, 1_000));
    int valid = corpus.tokenCount(Split.VALID);
    assertThat(corpus.slice(0, 100, valid - 50, 300).tokenCount(Split.VALID)).isEqualTo(50);
    assertThatThrownBy(() -> corpus.slice(0, 100, valid, 300))
        .hasMessageContaining("VALID")
        .hasMessageContaining("start at");
    assertThatThrownBy(() -> corpus.slice(-1, 100, 0, 300)).hasMessageContaining("offsets");
  }

  @Test
  void unknownWordsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> corpus.vocabulary().id("prunewire"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'prunewire'");
  }
}
