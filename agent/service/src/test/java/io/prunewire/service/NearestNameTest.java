package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {

  private static final List<String> KEYS =
      List.of("barrier.timeout", "metrics.port", "partitions", "snn.ratio");

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(NearestName.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(NearestName.editDistance("", "abc")).isEqualTo(3);
    assertThat(NearestName.editDistance("abc", "")).isEqualTo(3);
    assertThat(NearestName.editDistance("same", "same")).isZero();
  }

  @Test
  void suggestsTheClosestKnownNameWhenItIsClose() {
    assertThat(NearestName.to("barrier.timout", KEYS)).contains("barrier.timeout");
    assertThat(NearestName.to("partition", KEYS)).contains("partitions");
    assertThat(NearestName.to("snn_ratio", KEYS)).contains("snn.ratio");
    assertThat(NearestName.hint("metrics.prot", KEYS)).isEqualTo("; did you mean 'metrics.port'?");
  }

  @Test
  void suggestsNothingForAnUnrelatedName() {
    assertThat(NearestName.to("bootstrap", KEYS)).isEmpty();
    assertThat(NearestName.hint("x", List.of())).isEmpty();
  }
}
