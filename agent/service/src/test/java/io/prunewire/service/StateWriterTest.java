package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class StateWriterTest {

  private static byte[] encode(StateWriter w, int doubles, double base) {
    double[] values = new double[doubles];
    for (int i = 0; i < doubles; i++) {
      values[i] = base + i;
    }
    return w.writeInt(doubles).writeDoubles(values).toByteArray(); // count, length, values
  }

  @Test
  void aGrownWriterAndAnExactlySizedOneWriteTheSameLittleEndianBytes() {
    int n = 5_000;
    byte[] grown = encode(new StateWriter(16), n, 1.0);
    byte[] exact = encode(new StateWriter(4 + 4 + 8 * n), n, 1.0);
    assertThat(exact).isEqualTo(grown).hasSize(4 + 4 + 8 * n);
    ByteBuffer b = ByteBuffer.wrap(grown).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt()).isEqualTo(n);
    assertThat(b.getInt()).isEqualTo(n);
    assertThat(b.getDouble(8 + 8 * (n - 1))).isEqualTo(n);
  }

  @Test
  void anExactlySizedWriterHandsItsArrayOverOnceAndIsThenEmpty() {
    StateWriter w = new StateWriter(64);
    byte[] first = w.writeDoubles(new double[7]).toByteArray(); // 4 + 56 bytes: not exact
    assertThat(first).hasSize(60);
    StateWriter exact = new StateWriter(64);
    for (int i = 0; i < 8; i++) {
      exact.writeDouble(i);
    }
    assertThat(exact.toByteArray()).hasSize(64);
    assertThat(exact.toByteArray()).isEmpty();
  }
}
