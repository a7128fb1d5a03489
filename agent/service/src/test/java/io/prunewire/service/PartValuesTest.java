package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.EventType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartValuesTest {

  /**
   * A writer holding {@code size} bytes 0, 1, 2, ... (mod 251, so slices cannot line up by luck).
   */
  private static StateWriter holding(int size) {
    StateWriter w = StateWriter.reused(size);
    for (int i = 0; i < size; i++) {
      w.writeByte(i % 251);
    }
    return w;
  }

  private static byte[] expected(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  private static byte[] joined(byte[][] values) {
    return PartValues.join(values[0], i -> values[i]);
  }

  @Test
  void aPartThatFitsOneValueIsStoredAsItIs() {
    int max = PartValues.MAX_VALUE_BYTES;
    byte[][] values = PartValues.of(holding(max));
    assertThat(values.length).isEqualTo(1);
    assertThat(values[0]).isEqualTo(expected(max));
    assertThat(PartValues.count(values[0])).isEqualTo(1);
    assertThat(joined(values)).isSameAs(values[0]);
  }

  @Test
  void aLargerPartIsSplitIntoValuesBelowHalfOfG1sSmallestRegionAndJoinsBack() {
    int max = PartValues.MAX_VALUE_BYTES;
    // {size, values}: the head carries 5 bytes of its own
    int[][] cases = {
      {max + 1, 2}, {2 * max - 5, 2}, {2 * max - 4, 3}, {3 * max - 5, 3}, {3 * max, 4}
    };
    for (int[] c : cases) {
      int size = c[0];
      byte[][] values = PartValues.of(holding(size));
      assertThat(values.length).as("values of %d bytes", size).isEqualTo(c[1]);
      assertThat(Arrays.asList(values))
          .allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(max));
      assertThat(max).isLessThan(512 * 1024 - 16); // the array header included
      assertThat(values[0][0]).isEqualTo((byte) PartValues.SPLIT);
      assertThat(PartValues.count(values[0])).isEqualTo(values.length);
      assertThat(PartValues.bytes(values)).isEqualTo(size + 5);
      assertThat(joined(values)).isEqualTo(expected(size));
    }
  }

  @Test
  void aMissingOrForgedSplitFailsNamingTheStore() {
    byte[][] values = PartValues.of(holding(PartValues.MAX_VALUE_BYTES + 10));
    assertThatThrownBy(() -> PartValues.join(values[0], i -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("evidence store: value 1 of a part split into 2 is missing");
    byte[] forged = Arrays.copyOf(values[0], 5);
    forged[1] = 1; // a count of 1
    assertThatThrownBy(() -> PartValues.count(forged))
        .hasMessageContaining("evidence store: a split part of 1 values");
  }

  @Test
  void theReusedWriterKeepsItsBufferAndStartsEmpty() {
    StateWriter first = StateWriter.reused(1_000_000);
    first.writeLong(7);
    StateWriter again = StateWriter.reused(10);
    assertThat(again).isSameAs(first);
    assertThat(again.size()).isZero();
    assertThat(StateWriter.reused(17 << 20)).as("beyond 16 MB: not kept").isNotSameAs(first);
    assertThat(StateWriter.reused(10)).isSameAs(first);
  }

  @Test
  void aContinuationKeyNamesItsHeadsKey() {
    String key = EvidenceStore.key("run", "h1.snn", EventType.ACTIVATION_SUMMARY);
    assertThat(PartValues.headKey(key)).isEqualTo(key);
    assertThat(PartValues.headKey(PartValues.continuationKey(key, 1))).isEqualTo(key);
    assertThat(PartValues.headKey(PartValues.continuationKey(key, 12))).isEqualTo(key);
    assertThat(PartValues.headKey("run")).isEqualTo("run");
    assertThat(PartValues.headKey("run\u001f")).isEqualTo("run\u001f");
  }
}
