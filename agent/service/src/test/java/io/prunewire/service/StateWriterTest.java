package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

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
  void aScratchWriterWritesWhatAFreshWriterWritesAndItsBytesOutliveTheNextOne() {
    byte[] large = encode(StateWriter.scratch(16), 5_000, 1.0); // grows the thread's buffer
    byte[] small = encode(StateWriter.scratch(16), 3, 7.0); // reuses it
    assertThat(large).isEqualTo(encode(new StateWriter(16), 5_000, 1.0));
    assertThat(small).isEqualTo(encode(new StateWriter(16), 3, 7.0)).hasSize(4 + 4 + 3 * 8);
  }
}
