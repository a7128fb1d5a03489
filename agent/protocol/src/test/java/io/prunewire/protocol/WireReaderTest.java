package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The primitives the decoders read in bulk: varint counts and float32 arrays. */
class WireReaderTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void countsOfOneTwoAndMoreBytesAsWrittenByTheWriter() {
    long[] values = {0, 1, 127, 128, 300, 16_383, 16_384, 2_097_152, Long.MAX_VALUE, 5};
    WireWriter w = new WireWriter();
    w.varuints(values);
    WireReader r = new WireReader(w.toByteArray());
    assertThat(r.counts("c", values.length)).containsExactly(values);
    r.end("c");
  }

  @Test
  void aCountNotInItsShortestFormIsRejected() {
    assertThatThrownBy(() -> new WireReader(bytes(0x05, 0x80, 0x00)).counts("c", 2))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageEndingWith(": c[1]: varint is not in its shortest form");
    assertThatThrownBy(() -> new WireReader(bytes(0x81, 0x80, 0x00)).counts("c", 1))
        .hasMessageEndingWith(": c[0]: varint is not in its shortest form");
  }

  @Test
  void aRecordEndingInsideACountIsRejected() {
    assertThatThrownBy(() -> new WireReader(bytes(0x01, 0x81)).counts("c", 2))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageEndingWith(": c[1]: record ends inside a varint");
    assertThatThrownBy(() -> new WireReader(bytes(0x81, 0x81)).counts("c", 1))
        .hasMessageEndingWith(": c[0]: record ends inside a varint");
  }

  @Test
  void aCountBeyondTheInt64RangeIsRejected() {
    assertThatThrownBy(
            () ->
                new WireReader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))
                    .counts("c", 1))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.NEGATIVE_COUNT))
        .hasMessageEndingWith(": c[0]: varint exceeds the int64 range");
  }

  @Test
  void floatsAreWidenedAndTheFirstNonFiniteOneIsNamed() {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(1.5f).putFloat(-0.0f).putFloat(Float.NaN).putFloat(Float.POSITIVE_INFINITY);
    WireReader ok = new WireReader(b.array());
    assertThat(ok.f32sAsDoubles("f", 2)).containsExactly(1.5, -0.0);
    assertThatThrownBy(() -> ok.f32sAsDoubles("f", 2))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.NON_FINITE))
        .hasMessageContaining(": f[0]: must be finite");
  }

  @Test
  void columnsOfARowMajorMatrix() {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int v = 0; v < 6; v++) {
      b.putFloat(v); // rows {0, 1}, {2, 3}, {4, 5}
    }
    double[][] columns = new WireReader(b.array()).f32sAsDoubleColumns("m", 3, 2);
    assertThat(columns[0]).containsExactly(0, 2, 4);
    assertThat(columns[1]).containsExactly(1, 3, 5);
    b.putFloat(12, Float.NaN); // row 1, column 1
    assertThatThrownBy(() -> new WireReader(b.array()).f32sAsDoubleColumns("m", 3, 2))
        .hasMessageContaining(": m[3]: must be finite");
    assertThatThrownBy(() -> new WireReader(b.array()).f32sAsDoubleColumns("m", 4, 2))
        .hasMessageContaining("truncated or forged length");
  }

  /** Float32 values of every kind (signed zeros, subnormals, extremes) as the wire holds them. */
  private static ByteBuffer randomFloats(int n, long seed) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    float[] special = {-0.0f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 1e-40f};
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(
          i % 7 == 0
              ? special[rnd.nextInt(special.length)]
              : Float.intBitsToFloat(rnd.nextInt() & 0xbf7fffff)); // never NaN or infinite
    }
    return b;
  }

  /**
   * The bulk reads give what reading the floats one at a time gave, for arrays large enough to be
   * copied in bulk, one after another through the reused scratch (shorter after longer).
   */
  @Test
  void bulkReadsEqualReadingTheFloatsOneAtATime() {
    int[] lengths = {41_600, 1_300, 3, 0, 5_200};
    int total = java.util.Arrays.stream(lengths).sum();
    ByteBuffer b = randomFloats(total, 15);
    WireReader r = new WireReader(b.array());
    ByteBuffer one = ByteBuffer.wrap(b.array()).order(ByteOrder.LITTLE_ENDIAN);
    for (int n : lengths) {
      double[] expected = new double[n];
      for (int i = 0; i < n; i++) {
        expected[i] = one.getFloat();
      }
      double[] read = r.f32sAsDoubles("f", n);
      for (int i = 0; i < n; i++) {
        assertThat(Double.doubleToRawLongBits(read[i]))
            .as("f[%d] of %d", i, n)
            .isEqualTo(Double.doubleToRawLongBits(expected[i]));
      }
    }
    r.end("f");

    int rows = 1_300;
    int columns = 32;
    ByteBuffer m = randomFloats(rows * columns + 9, 16);
    WireReader rm = new WireReader(m.array());
    double[][] byColumn = rm.f32sAsDoubleColumns("m", rows, columns);
    float[] tail = rm.f32s("t", 9);
    rm.end("m");
    for (int i = 0; i < rows * columns; i++) {
      assertThat(byColumn[i % columns][i / columns]).isEqualTo((double) m.getFloat(4 * i));
    }
    for (int i = 0; i < 9; i++) {
      assertThat(tail[i]).isEqualTo(m.getFloat(4 * (rows * columns + i)));
    }
  }

  @Test
  void aNonFiniteFloatDeepInALargeArrayIsNamedByItsIndex() {
    ByteBuffer b = randomFloats(41_600, 17);
    b.putFloat(4 * 40_001, Float.NEGATIVE_INFINITY);
    b.putFloat(4 * 40_002, Float.NaN);
    assertThatThrownBy(() -> new WireReader(b.array()).f32sAsDoubles("f", 41_600))
        .hasMessageEndingWith(": f[40001]: must be finite, was -Infinity");
    assertThatThrownBy(() -> new WireReader(b.array()).f32s("f", 41_600))
        .hasMessageEndingWith(": f[40001]: must be finite, was -Infinity");
    assertThatThrownBy(() -> new WireReader(b.array()).f32sAsDoubleColumns("m", 1_300, 32))
        .hasMessageEndingWith(": m[40001]: must be finite, was -Infinity");
  }
}
